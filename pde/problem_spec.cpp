#include "pde/problem_spec.hpp"

namespace pinnkit::pde {

const std::vector<std::string>& condition_types() {
  static const std::vector<std::string> names{"dirichlet", "neumann",  "robin",
                                              "periodic",  "initial", "initial_rate"};
  return names;
}

}  // namespace pinnkit::pde
