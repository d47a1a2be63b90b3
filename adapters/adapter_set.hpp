#pragma once
/// \brief The adapters of one network: built from an AdapterSpec by wrapping
/// the selected layers of a Model (adapter_registry()), then initialised,
/// merged and saved together.
#include <functional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/adapter_spec.hpp"
#include "models/model.hpp"

namespace pinnkit::adapters {

class AdapterSet {
 public:
  AdapterSet() = default;
  bool empty() const { return adapters_.empty(); }
  const std::string& type() const { return spec_.type; }
  const std::vector<Adapter*>& adapters() const { return adapters_; }
  /// Every block the adapters registered (not the adopted base blocks).
  std::vector<std::string> owned_blocks() const;
  /// Whether `block` belongs to an adapter.
  bool owns(const std::string& block) const;
  /// The factor pairs, Tucker factors and SVD triplets of all adapters.
  AdapterStructure structure() const;

  void merge(const ExecSpace& exec);
  void unmerge(const ExecSpace& exec);

  /// Gradient initialisation (Adapter::wants_gradient_init, e.g. spectral
  /// init) of every adapter that asks for it: runs `full_backward` once (it
  /// must zero the gradient and run forward + backward of the training loss)
  /// with gradient capture on, then lets each initialise itself. No-op when none asks.
  void init_from_gradient(const ExecSpace& exec, const std::function<void()>& full_backward);

  /// The /adapter group: global attrs (type, layers) and every adapter's state.
  AdapterState state() const;

 private:
  friend AdapterSet attach_adapters(models::Model&, models::ParamStore&, const AdapterSpec&,
                                    const std::string&);
  AdapterSpec spec_;
  std::vector<Adapter*> adapters_;  ///< owned by the model's layer stack
};

/// Replaces the layers of `model` that the adapter type applies to and that
/// spec.layers selects (all of them when empty) with adapter layers that
/// adopt their blocks, and registers the adapters' blocks in `store` (not
/// finalized yet). Type "none" returns an empty set. Throws InputError
/// "file: adapter.layers[i]: ..." for a pattern that selects no such layer,
/// and "file: adapter.type: ..." for an unknown type or a network without
/// a layer the type applies to.
AdapterSet attach_adapters(models::Model& model, models::ParamStore& store, const AdapterSpec& spec,
                           const std::string& file = "config");

}  // namespace pinnkit::adapters
