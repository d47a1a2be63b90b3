#pragma once
/// \brief The config schema (internal to io/): one table per section of the
/// YAML file, in the order keys are read, written and documented.
#include "io/config_table.hpp"
#include "io/run_spec.hpp"

namespace pinnkit::io::config {

const Table<RunSpec>& run_table();
const Table<pde::ProblemSpec>& problem_table();

}  // namespace pinnkit::io::config
