#include "adapters/adapter_registry.hpp"

#include "adapters/lora_dense.hpp"
#include "adapters/lotra_kan.hpp"
#include "adapters/lora_kan.hpp"
#include "adapters/svd_lora_dense.hpp"

namespace pinnkit::adapters {

namespace {

AdapterCapabilities can(std::vector<std::string> keys, std::function<bool(const models::Layer&)> applies_to,
                        std::string targets) {
  AdapterCapabilities c;
  c.keys = std::move(keys);
  c.applies_to = std::move(applies_to);
  c.targets = std::move(targets);
  return c;
}

}  // namespace

const Registry<AdapterEntry>& adapter_registry() {
  static const Registry<AdapterEntry> registry{
      "adapters",
      "adapter.type",
      {
          {"none", "no adapter: every trainable block is trained as it is", nullptr, can({}, nullptr, "layer")},
          {"lora", "LoRA W = W0 + (alpha/r) B A on dense layers (W0 frozen); LoRA+ via group_lr, spectral init",
           attach_lora, can({"layers", "rank", "alpha", "init"}, applies_to_lora, "dense layer")},
          {"lotra",
           "LoTRA A = A0 + G x1 U_out x2 U_in x3 U_bas on KAN layers (A0 frozen, G = 0 at init); "
           "lr_scaling component: eta / n_in for U_in",
           attach_lotra, can({"layers", "ranks", "lr_scaling", "contraction"}, applies_to_lotra, "KAN layer")},
          {"lora_kan", "LoRA on KAN layers: the (n_out, n_in, K) coefficients as n_out x (n_in K), C = C0 + (alpha/r) B A",
           attach_lora_kan, can({"layers", "rank", "alpha", "init"}, applies_to_lora_kan, "KAN layer")},
          {"svd_lora",
           "SVD-form LoRA W = W0 + P diag(s) Q on dense and KAN layers (s = 0 at init), orthogonality "
           "regulariser, components pruned to a scheduled budget by a selection rule (SubLoRA, AdaLoRA, ...)",
           attach_svd_lora,
           can({"layers", "rank", "selection", "orthogonality", "hessian", "budget"}, applies_to_svd_lora,
               "dense or KAN layer")},
      }};
  return registry;
}

}  // namespace pinnkit::adapters
