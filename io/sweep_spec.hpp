#pragma once
/// \brief Sweep files (`pinnkit sweep SWEEP.yaml`): a base config, overrides
/// for every run, a grid and/or a zip of values and a seed list, expanded into
/// named runs (docs/hpc.md). Paths in a sweep file are relative to the working
/// directory, as they are in run configs.
///
///   base: experiments/quickstart.yaml      # required
///   output: results/sweeps/lr              # default results/sweeps/<file stem>
///   set: ["training[0].steps=200"]         # every run
///   cases:                                 # named override sets, outermost
///     scratch: []
///     lora: ["adapter.type=lora", "adapter.rank=4"]
///   grid: {training[0].lr: [1e-3, 3e-3]}   # every combination, first key slowest
///   zip: {model.hidden: [[32], [64]], training[0].steps: [200, 400]}  # taken together
///   seeds: [1, 2, 3]                       # innermost; default: the base's seed
///   slurm: {partition: p, account: a, time: "01:00:00", cpus_per_task: 2,
///           memory: 4G, requeue: true}
#include <optional>
#include <string>
#include <vector>

namespace pinnkit::io {

/// One varied key and its values, each value as flow YAML ("0.001", "[32, 32]").
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// A named set of overrides (`cases:`): the arms of a benchmark that differ in
/// which keys they set, not only in the values of the same keys.
struct SweepCase {
  std::string name;  ///< letters, digits, '-', '_' and '.': it goes into run names
  std::vector<std::string> overrides;
};

/// What a Slurm job array asks for; empty strings are left to the cluster's defaults.
struct SlurmSettings {
  std::string partition;
  std::string account;
  std::string time;  ///< "HH:MM:SS", "D-HH:MM:SS" or minutes, as sbatch takes it
  int cpus_per_task = 1;
  std::string memory;  ///< "4G", as sbatch --mem takes it
  bool requeue = true;  ///< preempted jobs go back to the queue and resume
};

struct SweepSpec {
  std::string file;    ///< the sweep file (error messages, the job script)
  std::string base;    ///< base run config
  std::string output;  ///< folder of the sweep
  std::vector<std::string> common;  ///< overrides of every run
  std::vector<SweepCase> cases;     ///< outermost; empty = one unnamed case
  std::vector<SweepAxis> grid;
  std::vector<SweepAxis> zip;  ///< equal lengths
  std::vector<long long> seeds;  ///< empty: the base config's seed
  SlurmSettings slurm;
};

/// One run of a sweep: its position, its name and the overrides that make it.
struct SweepRun {
  std::size_t index = 0;
  std::string name;                    ///< "r0003_lora_lr0.003_s2": index, case, varied values, seed
  std::string case_name;               ///< empty without cases
  std::vector<std::string> overrides;  ///< common, then the case's, grid, zip, seed
};

/// Reads and checks a sweep file; errors are InputError "FILE:LINE: key: expected ...".
SweepSpec load_sweep(const std::string& path);

/// The runs, in order: cases (slowest), grid (first key slowest), then zip, then seeds.
std::vector<SweepRun> expand_sweep(const SweepSpec& spec);

}  // namespace pinnkit::io
