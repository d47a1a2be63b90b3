#include "solvers/unknowns.hpp"

namespace pinnkit::solvers {

std::string unknown_block(const std::string& name) { return "unknown." + name; }

void add_unknown_blocks(const pde::Problem& problem, models::ParamStore& store) {
  for (const auto& u : problem.unknowns()) store.add(unknown_block(u.name), {1}, unknown_group());
}

void init_unknowns(const pde::Problem& problem, models::ParamStore& store) {
  for (const auto& u : problem.unknowns()) store.block_from_host(unknown_block(u.name), {u.map.theta(u.init)});
}

std::map<std::string, double> unknown_values(const pde::Problem& problem, const models::ParamStore& store) {
  std::map<std::string, double> values;
  for (const auto& u : problem.unknowns())
    values[u.name] = u.map.value(store.block_to_host(unknown_block(u.name)).at(0));
  return values;
}

}  // namespace pinnkit::solvers
