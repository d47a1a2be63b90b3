#pragma once
/// \brief Which fine-tuning adapter a run puts on its network: the typed form
/// of the `adapter:` section (docs/transfer.md).
#include <string>
#include <vector>

namespace pinnkit::adapters {

struct AdapterSpec {
  std::string type = "none";  ///< none | lora
  int rank = 4;               ///< r; capped per layer at min(in, out)
  double alpha = 0.0;         ///< scale alpha / r of B A; 0 means alpha = r (scale 1)
  /// Layer names or glob patterns ('*', '?') the adapter wraps; empty = every dense layer.
  std::vector<std::string> layers;
  std::string init = "standard";  ///< standard (A random, B = 0) | spectral (top-r SVD of -dL/dW)
};

/// Names accepted for AdapterSpec::type and ::init.
const std::vector<std::string>& adapter_types();
const std::vector<std::string>& adapter_inits();

}  // namespace pinnkit::adapters
