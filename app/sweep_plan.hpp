#pragma once
/// \brief A sweep on disk: the folder `pinnkit sweep` writes and every later
/// call (local runner, Slurm array task, `collect`) reads.
///
///   OUTPUT/manifest.yaml         sweep file, base, and per run: index, name,
///                                overrides, config, result
///   OUTPUT/configs/NAME.yaml     the run's resolved config (what runs)
///   OUTPUT/runs/NAME.h5          its result file
///   OUTPUT/logs/NAME.log         its output when run by the local runner
///
/// Writing the plan again with the same sweep keeps everything (that is how
/// a sweep resumes); a folder planned from a different expansion is refused.
#include <string>
#include <vector>

#include "io/sweep_spec.hpp"

namespace pinnkit::app {

struct PlannedRun {
  io::SweepRun run;
  std::string config;  ///< OUTPUT/configs/NAME.yaml
  std::string result;  ///< OUTPUT/runs/NAME.h5
  std::string log;     ///< OUTPUT/logs/NAME.log
};

/// Expands the sweep, checks every run's config against the schema (an
/// InputError names the run and its overrides) and writes the folder.
std::vector<PlannedRun> write_sweep_plan(const io::SweepSpec& spec);

/// Where a run stands, from its result file: "pending" (no file),
/// "partial" (a .partial file: running, or killed hard), or the file's
/// status (completed, diverged, interrupted, running), or "unreadable".
std::string run_state(const PlannedRun& run);

}  // namespace pinnkit::app
