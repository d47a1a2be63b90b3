#pragma once
/// \brief The Slurm job-array script of a sweep: one array task per run, each
/// calling `pinnkit sweep SWEEP.yaml --index $SLURM_ARRAY_TASK_ID`.
#include <string>

#include "io/sweep_spec.hpp"

namespace pinnkit::app {

/// The script text. `pinnkit` and `workdir` are absolute paths (the job runs
/// them wherever Slurm starts it); `runs` is the number of array tasks.
std::string slurm_array_script(const io::SweepSpec& spec, std::size_t runs, const std::string& pinnkit,
                               const std::string& workdir);

}  // namespace pinnkit::app
