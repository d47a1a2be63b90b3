#include "io/sweep_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "io/config_source.hpp"
#include "io/did_you_mean.hpp"

namespace pinnkit::io {

namespace {

using config::Source;

const std::vector<std::string> top_keys{"base", "output", "set", "cases", "grid", "zip", "seeds", "slurm"};
const std::vector<std::string> slurm_keys{"partition", "account", "time", "cpus_per_task", "memory", "requeue"};

void check_keys(const Source& src, const YAML::Node& map, const std::string& path,
                const std::vector<std::string>& allowed) {
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      src.fail(kv.first, config::child_path(path, key),
               "expected one of " + join_names(allowed) + did_you_mean(key, allowed) + ", got an unknown key");
  }
}

std::string read_name(const Source& src, const YAML::Node& node, const std::string& path, const std::string& what) {
  const std::string text = config::read_text(src, node, path, what);
  if (text.empty()) src.fail(node, path, "expected " + what + ", got an empty string");
  return text;
}

/// `axes:` as a map of key -> list of values; each value kept as flow YAML,
/// which is what a --set override reads back.
std::vector<SweepAxis> read_axes(const Source& src, const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) src.fail(node, path, "expected a map of config key -> list of values, got " + config::describe(node));
  std::vector<SweepAxis> axes;
  for (const auto& kv : node) {
    SweepAxis axis{kv.first.as<std::string>(), {}};
    const std::string at = path + "." + axis.key;
    if (axis.key.empty() || axis.key.find('=') != std::string::npos)
      src.fail(kv.first, at, "expected a config key path such as training[0].lr, got '" + axis.key + "'");
    if (!kv.second.IsSequence() || kv.second.size() == 0)
      src.fail(kv.second, at, "expected a non-empty list of values, got " + config::describe(kv.second));
    for (const auto& v : kv.second) axis.values.push_back(config::emit_flow(v));
    axes.push_back(std::move(axis));
  }
  return axes;
}

/// A list of key.path=value overrides at `path`.
std::vector<std::string> read_overrides(const Source& src, const YAML::Node& list, const std::string& path) {
  if (!list.IsSequence()) src.fail(list, path, "expected a list of key.path=value overrides, got " + config::describe(list));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string o = config::read_text(src, list[i], config::index_path(path, i), "key.path=value");
    if (o.find('=') == std::string::npos)
      src.fail(list[i], config::index_path(path, i), "expected key.path=value, got '" + o + "'");
    out.push_back(o);
  }
  return out;
}

/// `cases:` as a map of name -> list of overrides, in the file's order.
std::vector<SweepCase> read_cases(const Source& src, const YAML::Node& node) {
  if (!node.IsMap() || node.size() == 0)
    src.fail(node, "cases", "expected a non-empty map of case name -> list of overrides, got " + config::describe(node));
  std::vector<SweepCase> cases;
  for (const auto& kv : node) {
    SweepCase c{kv.first.as<std::string>(), {}};
    const std::string at = "cases." + c.name;
    const bool safe = !c.name.empty() && std::all_of(c.name.begin(), c.name.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
    });
    if (!safe) src.fail(kv.first, at, "expected a case name of letters, digits, '-', '_' and '.', got '" + c.name + "'");
    for (const auto& other : cases)
      if (other.name == c.name) src.fail(kv.first, at, "expected distinct case names, got '" + c.name + "' twice");
    if (!kv.second.IsNull()) c.overrides = read_overrides(src, kv.second, at);
    cases.push_back(std::move(c));
  }
  return cases;
}

SlurmSettings read_slurm(const Source& src, const YAML::Node& node) {
  if (!node.IsMap()) src.fail(node, "slurm", "expected a map of " + join_names(slurm_keys) + ", got " + config::describe(node));
  check_keys(src, node, "slurm", slurm_keys);
  SlurmSettings s;
  if (node["partition"]) s.partition = read_name(src, node["partition"], "slurm.partition", "a partition name");
  if (node["account"]) s.account = read_name(src, node["account"], "slurm.account", "an account name");
  if (node["time"]) s.time = read_name(src, node["time"], "slurm.time", "a time limit such as 01:00:00");
  if (node["memory"]) s.memory = read_name(src, node["memory"], "slurm.memory", "a memory size such as 4G");
  if (node["cpus_per_task"]) {
    const auto n = config::read_integer(src, node["cpus_per_task"], "slurm.cpus_per_task", "an integer in 1..512");
    if (n < 1 || n > 512) src.fail(node["cpus_per_task"], "slurm.cpus_per_task", "expected an integer in 1..512, got " + std::to_string(n));
    s.cpus_per_task = static_cast<int>(n);
  }
  if (node["requeue"]) s.requeue = config::read_bool(src, node["requeue"], "slurm.requeue");
  return s;
}

/// "training[0].lr" -> "lr"; "model.hidden" -> "hidden".
std::string last_component(const std::string& key) {
  std::string k = key;
  while (!k.empty() && k.back() == ']') k = k.substr(0, k.rfind('['));
  const auto dot = k.rfind('.');
  return dot == std::string::npos ? k : k.substr(dot + 1);
}

/// Keeps names portable as file names: letters, digits, '.', '-' and '_'.
std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
      out += c;
    else if (c == ',' && (out.empty() || out.back() != 'x'))
      out += 'x';  // [32, 32] -> 32x32
  }
  return out;
}

}  // namespace

SweepSpec load_sweep(const std::string& path) {
  const YAML::Node root = config::load_document(config::read_file_text(path, "sweep file"), path);
  const Source src(path);
  check_keys(src, root, "", top_keys);
  SweepSpec spec;
  spec.file = path;
  if (!root["base"]) src.fail(root, "base", "expected the base run config (base: CONFIG.yaml), got nothing");
  spec.base = read_name(src, root["base"], "base", "a config file");
  spec.output = root["output"] ? read_name(src, root["output"], "output", "a folder")
                               : "results/sweeps/" + std::filesystem::path(path).stem().string();
  if (const auto set = root["set"]) spec.common = read_overrides(src, set, "set");
  if (const auto cases = root["cases"]) spec.cases = read_cases(src, cases);
  if (root["grid"]) spec.grid = read_axes(src, root["grid"], "grid");
  if (root["zip"]) {
    spec.zip = read_axes(src, root["zip"], "zip");
    for (const auto& axis : spec.zip)
      if (axis.values.size() != spec.zip.front().values.size())
        src.fail(root["zip"][axis.key], "zip." + axis.key,
                 "expected " + std::to_string(spec.zip.front().values.size()) + " values (as many as zip." +
                     spec.zip.front().key + "), got " + std::to_string(axis.values.size()));
  }
  std::set<std::string> varied;
  for (const auto* axes : {&spec.grid, &spec.zip})
    for (const auto& axis : *axes)
      if (!varied.insert(axis.key).second)
        src.fail(root, axis.key, "expected each key in one of grid and zip, got it in both");
  if (const auto seeds = root["seeds"]) {
    if (!seeds.IsSequence() || seeds.size() == 0)
      src.fail(seeds, "seeds", "expected a non-empty list of integers >= 0, got " + config::describe(seeds));
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      const auto s = config::read_integer(src, seeds[i], config::index_path("seeds", i), "an integer >= 0");
      if (s < 0) src.fail(seeds[i], config::index_path("seeds", i), "expected an integer >= 0, got " + std::to_string(s));
      if (std::find(spec.seeds.begin(), spec.seeds.end(), s) != spec.seeds.end())
        src.fail(seeds[i], config::index_path("seeds", i), "expected distinct seeds, got " + std::to_string(s) + " twice");
      spec.seeds.push_back(s);
    }
  }
  if (root["slurm"]) spec.slurm = read_slurm(src, root["slurm"]);
  return spec;
}

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
  struct Choice {
    std::string case_name;
    std::vector<std::string> overrides, tags;
  };
  std::vector<Choice> points;
  for (const auto& c : spec.cases) points.push_back(Choice{c.name, c.overrides, {c.name}});
  if (points.empty()) points.push_back(Choice{});
  for (const auto& axis : spec.grid) {  // first key slowest
    std::vector<Choice> next;
    for (const auto& p : points)
      for (const auto& v : axis.values) {
        Choice c = p;
        c.overrides.push_back(axis.key + "=" + v);
        c.tags.push_back(file_safe(last_component(axis.key) + v));
        next.push_back(std::move(c));
      }
    points = std::move(next);
  }
  if (!spec.zip.empty()) {
    std::vector<Choice> next;
    for (const auto& p : points)
      for (std::size_t i = 0; i < spec.zip.front().values.size(); ++i) {
        Choice c = p;
        for (const auto& axis : spec.zip) {
          c.overrides.push_back(axis.key + "=" + axis.values[i]);
          c.tags.push_back(file_safe(last_component(axis.key) + axis.values[i]));
        }
        next.push_back(std::move(c));
      }
    points = std::move(next);
  }
  std::vector<SweepRun> runs;
  for (const auto& p : points) {
    const std::vector<long long> seeds = spec.seeds.empty() ? std::vector<long long>{-1} : spec.seeds;
    for (long long seed : seeds) {
      SweepRun run;
      run.index = runs.size();
      run.case_name = p.case_name;
      run.overrides = spec.common;
      run.overrides.insert(run.overrides.end(), p.overrides.begin(), p.overrides.end());
      std::ostringstream name;
      name << 'r' << std::setw(4) << std::setfill('0') << run.index;
      for (const auto& t : p.tags) name << '_' << t;
      if (seed >= 0) {
        run.overrides.push_back("seed=" + std::to_string(seed));
        name << "_s" << seed;
      }
      run.name = name.str().substr(0, 120);
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

}  // namespace pinnkit::io
