#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

const std::vector<std::string>& sampling_methods() {
  static const std::vector<std::string> names{"uniform", "lhs", "sobol", "grid"};
  return names;
}
const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names{"adam", "adamw", "sgd", "lbfgs", "scaled_gd"};
  return names;
}
const std::vector<std::string>& schedule_types() {
  static const std::vector<std::string> names{"constant", "exponential", "cosine", "step"};
  return names;
}
const std::vector<std::string>& loss_terms() {
  static const std::vector<std::string> names{"pde", "boundary", "initial", "data"};
  return names;
}

}  // namespace pinnkit::solvers
