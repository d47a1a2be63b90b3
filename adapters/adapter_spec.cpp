#include "adapters/adapter_spec.hpp"

namespace pinnkit::adapters {

const std::vector<std::string>& adapter_types() {
  static const std::vector<std::string> names{"none", "lora"};
  return names;
}

const std::vector<std::string>& adapter_inits() {
  static const std::vector<std::string> names{"standard", "spectral"};
  return names;
}

}  // namespace pinnkit::adapters
