#include "app/sweep_plan.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/config.hpp"
#include "io/result_reader.hpp"

namespace pinnkit::app {

namespace fs = std::filesystem;

namespace {

/// Written next to its destination and renamed over it, so a reader never
/// sees half a file (two sweep calls may plan the same folder at once).
void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    out << text;
    if (!out.flush()) throw ResourceError(tmp.string() + ": cannot write (" + std::strerror(errno) + ")");
  }
  fs::rename(tmp, path);
}

std::string manifest_yaml(const io::SweepSpec& spec, const std::vector<PlannedRun>& runs) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "sweep" << YAML::Value << spec.file << YAML::Key << "base" << YAML::Value
      << spec.base << YAML::Key << "runs" << YAML::Value << YAML::BeginSeq;
  for (const auto& r : runs) {
    out << YAML::BeginMap << YAML::Key << "index" << YAML::Value << r.run.index << YAML::Key << "name" << YAML::Value
        << r.run.name;
    if (!r.run.case_name.empty()) out << YAML::Key << "case" << YAML::Value << r.run.case_name;
    out << YAML::Key << "overrides" << YAML::Value << YAML::Flow << r.run.overrides << YAML::Key
        << "config" << YAML::Value << r.config << YAML::Key << "result" << YAML::Value << r.result << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace

std::vector<PlannedRun> write_sweep_plan(const io::SweepSpec& spec) {
  const fs::path root(spec.output);
  std::vector<PlannedRun> runs;
  std::vector<std::string> configs;
  for (auto& run : io::expand_sweep(spec)) {
    PlannedRun p{run, (root / "configs" / (run.name + ".yaml")).string(), (root / "runs" / (run.name + ".h5")).string(),
                 (root / "logs" / (run.name + ".log")).string()};
    auto overrides = run.overrides;
    overrides.push_back("output.file=" + p.result);
    try {
      configs.push_back(io::to_yaml(io::load_config(spec.base, overrides)));
    } catch (const InputError& e) {
      throw InputError(spec.file + ": run " + run.name + " (" + join(run.overrides) + "): " + e.what());
    }
    runs.push_back(std::move(p));
  }
  const std::string manifest = manifest_yaml(spec, runs);
  const fs::path manifest_path = root / "manifest.yaml";
  std::error_code ec;
  if (fs::exists(manifest_path, ec)) {
    std::ifstream in(manifest_path);
    const std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (old != manifest)
      throw InputError(spec.file + ": output: expected a new folder or one planned from this sweep, got " +
                       spec.output + " planned from a different sweep (" + manifest_path.string() +
                       " differs); choose another output or remove the folder");
  }
  for (const char* sub : {"configs", "runs", "logs"}) {
    fs::create_directories(root / sub, ec);
    if (ec) throw InputError(spec.file + ": output: expected a folder pinnkit can create, got " + (root / sub).string() + " (" + ec.message() + ")");
  }
  for (std::size_t i = 0; i < runs.size(); ++i) write_atomically(runs[i].config, configs[i]);
  write_atomically(manifest_path, manifest);
  return runs;
}

std::string run_state(const PlannedRun& run) {
  std::error_code ec;
  if (!fs::exists(run.result, ec)) return fs::exists(run.result + ".partial", ec) ? "partial" : "pending";
  try {
    return io::to_string(io::read_result(run.result).status);
  } catch (const InputError&) {
    return "unreadable";
  }
}

}  // namespace pinnkit::app
