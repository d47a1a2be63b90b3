#pragma once
/// \brief Runs a sweep's runs on this machine, `jobs` at a time, each as a
/// child `pinnkit run` process with its own log file.
#include <vector>

#include "app/sweep_plan.hpp"

namespace pinnkit::app {

struct LocalSweepOptions {
  int jobs = 1;     ///< runs at a time
  int threads = 1;  ///< threads of each run (OMP_NUM_THREADS and --threads)
  bool quiet = false;
};

/// Runs every run that is not completed (a completed result file is kept:
/// re-running a sweep resumes it) and prints a progress line per event on
/// stderr. SIGINT/SIGTERM stop launching, pass SIGTERM to the running runs
/// (which write their files as interrupted) and wait for them. Returns 0 when
/// every run is completed, 130 when interrupted, else the first failed run's
/// exit code (its log file is named).
int run_sweep_locally(const std::vector<PlannedRun>& runs, const LocalSweepOptions& options);

}  // namespace pinnkit::app
