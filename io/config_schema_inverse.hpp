#pragma once
/// \brief The inverse-problem keys of the `problem:` table (internal to io/):
/// problem.unknowns (trainable coefficients) and problem.observations.
#include "io/config_table.hpp"
#include "pde/problem_spec.hpp"

namespace pinnkit::io::config {

Field<pde::ProblemSpec> unknowns_field();
Field<pde::ProblemSpec> observations_field();

}  // namespace pinnkit::io::config
