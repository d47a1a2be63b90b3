#pragma once
/// \brief Small LoRA networks and layers for the adapter tests: a lone
/// LoraDense with random (nonzero) factors, and MLPs whose dense layers are
/// wrapped by attach_adapters.
#include <memory>
#include <string>
#include <vector>

#include "adapters/adapter_set.hpp"
#include "adapters/lora_dense.hpp"
#include "models/make_model.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::adapters::testing_support {

/// Fills a block with U(-1, 1) values (B = 0 would hide errors in dL/dA).
inline void randomize(models::ParamStore& store, const std::string& block, std::uint64_t seed) {
  store.block_from_host(block, pinnkit::testing::random_values(store.block(block).size(), -1, 1, seed));
}

struct LoraLayer {
  models::ParamStore store;
  LoraDense layer;
  LoraLayer(int in, int out, int rank, LoraGradientPath path, double alpha = 3.0)
      : layer("lora", in, out, "xavier", true, LoraSettings{rank, alpha, LoraInit::standard, path}) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(5);
    randomize(store, "lora.bias", 6);
    randomize(store, layer.b_block(), 7);
  }
};

struct LoraNet {
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  AdapterSet adapters;
  /// A 2-in MLP with LoRA on the layers `layers` selects (all dense when empty).
  LoraNet(const std::vector<int>& hidden, int rank, const std::string& init = "standard",
          const std::vector<std::string>& layers = {}, const std::string& activation = "tanh") {
    models::ModelSpec spec;
    spec.hidden = hidden;
    spec.activation = activation;
    model = models::build_model(spec, 2, 1, {-1.0, -0.5}, {1.0, 1.5}, store);
    AdapterSpec a;
    a.type = "lora";
    a.rank = rank;
    a.alpha = 2.0 * rank;
    a.init = init;
    a.layers = layers;
    adapters = attach_adapters(*model, store, a);
    store.finalize();
    model->initialize_params(11);
  }
  void randomize_factors(std::uint64_t seed) {
    for (const auto& name : adapters.owned_blocks()) randomize(store, name, seed++);
  }
};

}  // namespace pinnkit::adapters::testing_support
