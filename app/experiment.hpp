#pragma once
/// \brief `pinnkit run` after the config is read: builds the problem, model
/// and trainer from the specs, trains, and writes the result file.
#include "io/run_spec.hpp"

namespace pinnkit::app {

struct RunOptions {
  bool quiet = false;
};

/// Needs an initialised Runtime. Returns the exit code: 0 completed,
/// 3 diverged, 130 interrupted by a signal (the file is written in each case).
int run_experiment(const io::RunSpec& spec, const RunOptions& options);

}  // namespace pinnkit::app
