#include "io/result_types.hpp"

#include <unistd.h>

#include <array>
#include <ctime>

#include "core/error.hpp"
#include "core/real.hpp"
#include "core/runtime.hpp"

namespace pinnkit::io {

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::running: return "running";
    case RunStatus::completed: return "completed";
    case RunStatus::diverged: return "diverged";
    case RunStatus::interrupted: return "interrupted";
  }
  PINNKIT_CHECK(false, "unknown RunStatus");
}

RunStatus parse_run_status(const std::string& text, const std::string& file) {
  for (RunStatus s : {RunStatus::running, RunStatus::completed, RunStatus::diverged,
                      RunStatus::interrupted})
    if (text == to_string(s)) return s;
  throw InputError(input_message(
      file, "status", "expected running, completed, diverged or interrupted, got '" + text + "'"));
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

Provenance current_provenance(std::string config_yaml, std::string config_file,
                              std::uint64_t seed) {
  Provenance p;
  p.pinnkit_version = PINNKIT_VERSION;
  p.kokkos_version = kokkos_version();
  p.backend = backend_name();
  p.threads = backend_threads();
  p.real_type = real_name;
  p.created = utc_now_iso8601();
  p.seed = seed;
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) p.hostname = host.data();
  p.config_yaml = std::move(config_yaml);
  p.config_file = std::move(config_file);
  return p;
}

}  // namespace pinnkit::io
