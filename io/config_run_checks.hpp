#pragma once
/// \brief Cross-key checks of a whole run config that need more than one
/// section (called from finish_run in config_schema.cpp).
#include "io/config_schema.hpp"

namespace pinnkit::io::config {

/// Number of inputs of the problem a spec names, when it is known without
/// building the problem (custom problems, expression families of the
/// catalog, poisson<N>d); -1 otherwise.
int known_input_dim(const pde::ProblemSpec& problem);

/// evaluation.grid: a grid the config gives must have one entry per input of
/// the problem (custom or catalog); the default grid is resolved to the
/// problem's inputs (its last entry repeated or dropped, as the evaluator
/// always read it), so that the resolved config says what runs.
void check_evaluation_grid(const Source& src, const YAML::Node& root, RunSpec& out);

/// name: when it names the default output file (no output.file), it must be
/// a plain file name, so that results/<name>.h5 stays inside results/.
void check_default_output_name(const Source& src, const YAML::Node& root, const RunSpec& out);

}  // namespace pinnkit::io::config
