#include "models/model_spec.hpp"

namespace pinnkit::models {

const std::vector<std::string>& model_types() {
  static const std::vector<std::string> names{"mlp", "kan"};
  return names;
}
const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names{"tanh", "sin", "silu", "gelu", "softplus"};
  return names;
}
const std::vector<std::string>& init_names() {
  static const std::vector<std::string> names{"xavier", "kaiming"};
  return names;
}

}  // namespace pinnkit::models
