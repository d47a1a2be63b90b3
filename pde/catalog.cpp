#include "pde/catalog.hpp"

namespace pinnkit::pde {

const std::vector<ProblemInfo>& catalog() {
  static const std::vector<ProblemInfo> problems{
      {"poisson2d",
       "-(u_xx + u_yy) = 2 (a pi)^2 sin(a pi x) sin(a pi y) on [-1,1]^2, u = 0 on the boundary; "
       "exact u = sin(a pi x) sin(a pi y)",
       {{"a", 1.0}}},
      {"custom", "a PDE written in the config (inputs, domain, equations, conditions)", {}},
  };
  return problems;
}

const ProblemInfo* find_problem(const std::string& name) {
  for (const auto& p : catalog())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace pinnkit::pde
