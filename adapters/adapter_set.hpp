#pragma once
/// \brief The adapters of one network: built from an AdapterSpec by wrapping
/// the selected layers of a Model, then merged, initialised and saved together.
#include <functional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/adapter_spec.hpp"
#include "adapters/lora_dense.hpp"
#include "models/model.hpp"

namespace pinnkit::adapters {

class AdapterSet {
 public:
  AdapterSet() = default;
  bool empty() const { return adapters_.empty(); }
  const std::vector<Adapter*>& adapters() const { return adapters_; }
  /// Every block the adapters registered (not the adopted base blocks).
  std::vector<std::string> owned_blocks() const;
  /// Whether `block` belongs to an adapter.
  bool owns(const std::string& block) const;

  void merge(const ExecSpace& exec);
  void unmerge(const ExecSpace& exec);

  /// Spectral init of every LoRA layer that asks for it: runs
  /// `full_backward` once (it must zero the gradient and run forward +
  /// backward of the training loss) with gradient capture on, then
  /// initialises the factors from the captured dL/dW. No-op when none asks.
  void spectral_init(const ExecSpace& exec, const std::function<void()>& full_backward);

  /// The /adapter group: global attrs (type, layers) and every adapter's state.
  AdapterState state() const;

 private:
  friend AdapterSet attach_adapters(models::Model&, models::ParamStore&, const AdapterSpec&,
                                    const std::string&);
  AdapterSpec spec_;
  std::vector<Adapter*> adapters_;  ///< owned by the model's layer stack
  std::vector<LoraDense*> lora_;
};

/// Replaces the Dense layers of `model` selected by spec.layers (all Dense
/// layers when empty) with adapter layers that adopt their blocks, and
/// registers the adapters' blocks in `store` (not finalized yet). The rank is
/// capped per layer at min(in, out). type "none" returns an empty set.
/// Throws InputError "file: adapter.layers[i]: ..." for a pattern that
/// selects no dense layer, and for an unknown type or init.
AdapterSet attach_adapters(models::Model& model, models::ParamStore& store, const AdapterSpec& spec,
                           const std::string& file = "config");

}  // namespace pinnkit::adapters
