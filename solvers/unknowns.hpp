#pragma once
/// \brief Trainable PDE coefficients (problem.unknowns) as parameter blocks:
/// one block `unknown.NAME` of one entry per unknown, in the learning-rate
/// group `unknowns` (training[].group_lr.unknowns gives them their own rate).
/// The block holds theta; the equations read v = map.value(theta)
/// (pde/unknown_map.hpp).
#include <map>
#include <string>

#include "models/param_store.hpp"
#include "pde/problem.hpp"

namespace pinnkit::solvers {

/// The block name of an unknown.
std::string unknown_block(const std::string& name);
/// The learning-rate group of every unknown.
inline const char* unknown_group() { return "unknowns"; }

/// Registers the problem's unknown blocks; before store.finalize().
void add_unknown_blocks(const pde::Problem& problem, models::ParamStore& store);
/// Sets each block to theta(init); after store.finalize().
void init_unknowns(const pde::Problem& problem, models::ParamStore& store);
/// The values the equations read now, by unknown name (host).
std::map<std::string, double> unknown_values(const pde::Problem& problem, const models::ParamStore& store);

}  // namespace pinnkit::solvers
