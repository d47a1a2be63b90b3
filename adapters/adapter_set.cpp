#include "adapters/adapter_set.hpp"

#include <algorithm>

#include "adapters/glob.hpp"
#include "core/error.hpp"

namespace pinnkit::adapters {

namespace {

LoraInit lora_init_from(const AdapterSpec& spec, const std::string& file) {
  if (spec.init == "standard") return LoraInit::standard;
  if (spec.init == "spectral") return LoraInit::spectral;
  throw InputError(input_message(file, "adapter.init", "expected one of standard, spectral, got '" + spec.init + "'"));
}

std::string dense_names(const std::vector<int>& dense, const models::Model& model) {
  std::string list;
  for (std::size_t i = 0; i < dense.size(); ++i) list += (i ? ", " : "") + model.layer(dense[i]).name();
  return list;
}

/// Indices of the Dense layers spec.layers selects, in layer order.
std::vector<int> selected_layers(const models::Model& model, const AdapterSpec& spec, const std::string& file) {
  std::vector<int> dense;
  for (int i = 0; i < model.layer_count(); ++i)
    if (dynamic_cast<const models::Dense*>(&model.layer(i))) dense.push_back(i);
  if (spec.layers.empty()) return dense;
  std::vector<int> chosen;
  for (std::size_t k = 0; k < spec.layers.size(); ++k) {
    bool any = false;
    for (int i : dense)
      if (glob_match(spec.layers[k], model.layer(i).name())) {
        any = true;
        if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
      }
    if (!any)
      throw InputError(input_message(file, "adapter.layers[" + std::to_string(k) + "]",
                                     "expected a dense layer name or pattern (" + dense_names(dense, model) +
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

void AdapterSet::merge(const ExecSpace& exec) {
  for (Adapter* a : adapters_) a->merge(exec);
}

void AdapterSet::unmerge(const ExecSpace& exec) {
  for (Adapter* a : adapters_) a->unmerge(exec);
}

void AdapterSet::spectral_init(const ExecSpace& exec, const std::function<void()>& full_backward) {
  std::vector<LoraDense*> wanted;
  for (LoraDense* l : lora_)
    if (l->settings().init == LoraInit::spectral) wanted.push_back(l);
  if (wanted.empty()) return;
  for (LoraDense* l : wanted) l->set_capture_gradient(true);
  full_backward();
  for (LoraDense* l : wanted) {
    l->set_capture_gradient(false);
    l->spectral_init(exec);
  }
}

AdapterState AdapterSet::state() const {
  AdapterState st;
  st.attrs["type"] = spec_.type;
  std::string layers;
  for (const Adapter* a : adapters_) {
    layers += (layers.empty() ? "" : ",") + a->adapted_layer();
    const AdapterState one = a->state();
    st.attrs.insert(one.attrs.begin(), one.attrs.end());
    st.arrays.insert(one.arrays.begin(), one.arrays.end());
  }
  st.attrs["layers"] = layers;
  st.attrs["merged_into_model"] = "true";  // /model holds W0 + s B A (see app/experiment.cpp)
  return st;
}

AdapterSet attach_adapters(models::Model& model, models::ParamStore& store, const AdapterSpec& spec,
                           const std::string& file) {
  AdapterSet set;
  set.spec_ = spec;
  if (spec.type == "none") return set;
  if (spec.type != "lora")
    throw InputError(input_message(file, "adapter.type", "expected one of none, lora, got '" + spec.type + "'"));
  if (spec.rank < 1)
    throw InputError(input_message(file, "adapter.rank", "expected a positive integer, got " + std::to_string(spec.rank)));
  LoraSettings settings;
  settings.alpha = spec.alpha > 0 ? spec.alpha : spec.rank;  // alpha/r fixed by the config's r
  settings.init = lora_init_from(spec, file);
  for (int i : selected_layers(model, spec, file)) {
    const auto& base = dynamic_cast<const models::Dense&>(model.layer(i));
    LoraSettings layer = settings;
    layer.rank = std::min({spec.rank, base.in_features(), base.out_features()});
    // Keep s = alpha / r of the config when the rank is capped.
    layer.alpha = settings.alpha * layer.rank / spec.rank;
    auto lora = LoraDense::wrapping(base, layer);
    LoraDense* raw = lora.get();
    model.replace_layer(i, std::move(lora));
    raw->register_params(store);
    set.adapters_.push_back(raw);
    set.lora_.push_back(raw);
  }
  return set;
}

}  // namespace pinnkit::adapters
