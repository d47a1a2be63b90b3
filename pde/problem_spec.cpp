#include "pde/problem_spec.hpp"

namespace pinnkit::pde {

std::vector<std::string> exact_expressions(const ProblemSpec& spec) {
  if (!spec.exact_list.empty()) return spec.exact_list;
  if (!spec.exact.empty()) return {spec.exact};
  return {};
}

ProblemSpec with_inverse_parts(ProblemSpec built, const ProblemSpec& user) {
  built.unknowns = user.unknowns;
  built.observations = user.observations;
  return built;
}

const std::vector<std::string>& condition_types() {
  static const std::vector<std::string> names{"dirichlet", "neumann",  "robin",
                                              "periodic",  "initial", "initial_rate", "operator"};
  return names;
}

}  // namespace pinnkit::pde
