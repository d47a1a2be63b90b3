#pragma once
/// \brief The adapter types a config may name (`adapter.type`): each entry
/// says which layers the type applies to and attaches it to one layer.
/// Adding an adapter type is its own files, one entry here and its config
/// keys (AdapterSpec, io/config_schema.cpp): docs/design.md, "How to add".
#include <functional>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_spec.hpp"
#include "core/registry.hpp"
#include "models/layer.hpp"

namespace pinnkit::adapters {

/// The replacement layer (which adopts the base layer's blocks) and its Adapter side.
struct AttachedAdapter {
  std::unique_ptr<models::Layer> layer;
  Adapter* adapter = nullptr;
};

/// Builds the adapter that replaces `base`, a layer the type applies to;
/// `rank_cap`-style per-layer choices are the builder's. Throws InputError
/// naming `file` and the key on a bad setting.
using AdapterBuilder =
    std::function<AttachedAdapter(const models::Layer& base, const AdapterSpec& spec, const std::string& file)>;

struct AdapterCapabilities : BaseCapabilities {
  /// Whether the type can adapt this layer (empty for "none").
  std::function<bool(const models::Layer&)> applies_to;
  /// What it applies to, for messages: "dense layer".
  std::string targets;
};

using AdapterEntry = RegistryEntry<AdapterBuilder, AdapterCapabilities>;
const Registry<AdapterEntry>& adapter_registry();

}  // namespace pinnkit::adapters
