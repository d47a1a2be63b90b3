#include "adapters/adapter_set.hpp"

#include <algorithm>

#include "adapters/adapter_registry.hpp"
#include "adapters/glob.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace pinnkit::adapters {

namespace {

/// Indices of the layers the type applies to that spec.layers selects, in layer order.
std::vector<int> selected_layers(const models::Model& model, const AdapterEntry& entry, const AdapterSpec& spec,
                                 const std::string& file) {
  std::vector<int> candidates;
  std::vector<std::string> names;
  for (int i = 0; i < model.layer_count(); ++i)
    if (entry.capabilities.applies_to(model.layer(i))) {
      candidates.push_back(i);
      names.push_back(model.layer(i).name());
    }
  if (candidates.empty())
    throw InputError(input_message(file, "adapter.type",
                                   "expected a network with a " + entry.capabilities.targets + " for adapter '" +
                                       entry.name + "', got none"));
  if (spec.layers.empty()) return candidates;
  std::vector<int> chosen;
  for (std::size_t k = 0; k < spec.layers.size(); ++k) {
    bool any = false;
    for (int i : candidates)
      if (glob_match(spec.layers[k], model.layer(i).name())) {
        any = true;
        if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
      }
    if (!any)
      throw InputError(input_message(file, "adapter.layers[" + std::to_string(k) + "]",
                                     "expected a " + entry.capabilities.targets + " name or pattern (" + join(names) +
                                         "), got '" + spec.layers[k] + "'"));
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace

std::vector<std::string> AdapterSet::owned_blocks() const {
  std::vector<std::string> names;
  for (const Adapter* a : adapters_)
    for (auto& b : a->owned_blocks()) names.push_back(b);
  return names;
}

bool AdapterSet::owns(const std::string& block) const {
  const auto names = owned_blocks();
  return std::find(names.begin(), names.end(), block) != names.end();
}

AdapterStructure AdapterSet::structure() const {
  AdapterStructure all;
  for (const Adapter* a : adapters_) all.append(a->structure());
  return all;
}

void AdapterSet::merge(const ExecSpace& exec) {
  for (Adapter* a : adapters_) a->merge(exec);
}

void AdapterSet::unmerge(const ExecSpace& exec) {
  for (Adapter* a : adapters_) a->unmerge(exec);
}

void AdapterSet::init_from_gradient(const ExecSpace& exec, const std::function<void()>& full_backward) {
  std::vector<Adapter*> wanted;
  for (Adapter* a : adapters_)
    if (a->wants_gradient_init()) wanted.push_back(a);
  if (wanted.empty()) return;
  for (Adapter* a : wanted) a->capture_gradient(true);
  full_backward();
  for (Adapter* a : wanted) {
    a->capture_gradient(false);
    a->init_from_gradient(exec);
  }
}

AdapterState AdapterSet::state() const {
  AdapterState st;
  st.attrs["type"] = spec_.type;
  std::vector<std::string> layers;
  for (const Adapter* a : adapters_) {
    layers.push_back(a->adapted_layer());
    const AdapterState one = a->state();
    st.attrs.insert(one.attrs.begin(), one.attrs.end());
    st.arrays.insert(one.arrays.begin(), one.arrays.end());
  }
  st.attrs["layers"] = join(layers, ",");
  st.attrs["merged_into_model"] = "true";  // /model holds the merged weights (see app/experiment.cpp)
  return st;
}

AdapterSet attach_adapters(models::Model& model, models::ParamStore& store, const AdapterSpec& spec,
                           const std::string& file) {
  AdapterSet set;
  set.spec_ = spec;
  const AdapterEntry& entry = adapter_registry().get(spec.type, file);
  if (!entry.build) return set;  // "none"
  for (int i : selected_layers(model, entry, spec, file)) {
    AttachedAdapter attached = entry.build(model.layer(i), spec, file);
    PINNKIT_CHECK(attached.layer && attached.adapter, "adapter '" + spec.type + "' built no layer");
    models::Layer* raw = attached.layer.get();
    model.replace_layer(i, std::move(attached.layer));
    raw->register_params(store);
    set.adapters_.push_back(attached.adapter);
  }
  return set;
}

}  // namespace pinnkit::adapters
