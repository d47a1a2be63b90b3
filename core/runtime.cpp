#include "core/runtime.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "core/kokkos.hpp"

namespace pinnkit {

namespace {
std::optional<int> threads_from_environment() {
  for (const char* name : {"KOKKOS_NUM_THREADS", "OMP_NUM_THREADS"}) {
    if (const char* v = std::getenv(name)) {
      char* end = nullptr;
      long n = std::strtol(v, &end, 10);
      if (end == v || *end != '\0' || n < 1 || n > max_threads)
        throw InputError(input_message("environment", name,
                                       "expected an integer in 1.." + std::to_string(max_threads) + ", got '" +
                                           std::string(v) + "'"));
      return static_cast<int>(n);
    }
  }
  return std::nullopt;
}
}  // namespace

Runtime::Runtime(std::optional<int> threads) {
  if (!threads) threads = threads_from_environment();
  // Kokkos' OpenMP backend warns on every start when OMP_PROC_BIND is unset.
  // The OpenMP runtime has read its environment already, so naming its
  // default (no binding) only silences the warning; a user's value is kept.
  setenv("OMP_PROC_BIND", "false", /*overwrite=*/0);
  if (threads && (*threads < 1 || *threads > max_threads))
    throw InputError(input_message("command line", "--threads",
                                   "expected an integer in 1.." + std::to_string(max_threads) + ", got " +
                                       std::to_string(*threads)));
#if KOKKOS_VERSION >= 30700
  Kokkos::InitializationSettings settings;
  if (threads) settings.set_num_threads(*threads);
  Kokkos::initialize(settings);
#else
  Kokkos::InitArguments settings;
  if (threads) settings.num_threads = *threads;
  Kokkos::initialize(settings);
#endif
}

Runtime::~Runtime() { Kokkos::finalize(); }

std::string backend_name() { return ExecSpace::name(); }

int backend_threads() {
#if KOKKOS_VERSION >= 30700
  return ExecSpace().concurrency();
#else
  return ExecSpace::concurrency();
#endif
}

std::string kokkos_version() {
  const int v = KOKKOS_VERSION;
  return "Kokkos " + std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
         std::to_string(v % 100);
}

}  // namespace pinnkit
