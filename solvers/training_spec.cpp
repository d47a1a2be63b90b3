#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

const std::vector<std::string>& loss_terms() {
  static const std::vector<std::string> names{"pde", "boundary", "initial", "data"};
  return names;
}

}  // namespace pinnkit::solvers
