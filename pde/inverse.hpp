#pragma once
/// \brief The inverse-problem parts of a custom problem (problem.unknowns,
/// problem.observations): the unknowns with their maps, and the observed
/// values with the configured synthetic noise added.
#include <string>
#include <vector>

#include "pde/problem.hpp"

namespace pinnkit::pde {

/// One Unknown per spec entry, in name order. Throws InputError naming
/// problem.unknowns.NAME for bounds or an init the map cannot represent.
std::vector<Unknown> make_unknowns(const ProblemSpec& spec, const std::string& source);

/// The observations of `spec` (nullopt-like: count() == 0 when there is no
/// file) checked against the problem's inputs and outputs, with noise:
/// value += N(0, (noise * RMS of the output's values)^2), from a stream
/// seeded by noise_seed (the same data for every run seed).
Observations make_observations(const ProblemSpec& spec, const std::vector<std::string>& inputs,
                               const std::vector<std::string>& outputs, const std::string& source);

}  // namespace pinnkit::pde
