#pragma once
/// \brief Small LoTRA layers and networks for the adapter tests: a lone
/// LotraKan with random (nonzero) A0, base, scale and factors, and a
/// 2 -> 3 -> 1 KAN with LoTRA on every layer, in either contraction form.
#include <array>
#include <memory>
#include <string>

#include "adapters/adapter_set.hpp"
#include "adapters/lotra_kan.hpp"
#include "models/make_model.hpp"
#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"

namespace pinnkit::adapters::lotra_testing {

inline models::KanOptions lotra_options(int degree, bool base = true, bool scale = true) {
  models::KanOptions o;
  o.grid = 4;
  o.degree = degree;
  o.base = base;
  o.scale = scale;
  return o;
}

inline void randomize(models::ParamStore& store, const std::string& block, std::uint64_t seed, double lo = -1,
                      double hi = 1) {
  store.block_from_host(block, pinnkit::testing::random_values(store.block(block).size(), lo, hi, seed));
}

/// A lone LoTRA layer: random A0, base, scale and factors (G != 0, so every
/// factor has a nonzero gradient).
struct LotraLayer {
  models::ParamStore store;
  LotraKan layer;
  LotraLayer(int in, int out, const models::KanOptions& o, const std::array<int, 3>& r, std::uint64_t seed,
             LotraContraction contraction = LotraContraction::coefficients)
      : layer("kan", in, out, o, LotraSettings{r, LotraLrScaling::component, contraction}) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(seed);
    pinnkit::testing::set_grids(store, layer, -1.0, 1.0, 0.2);
    randomize(store, "kan.coef", seed + 1);
    if (o.base) randomize(store, "kan.base", seed + 2);
    if (o.scale) randomize(store, "kan.scale", seed + 3, 0.5, 1.5);
    for (const auto& b : layer.owned_blocks()) randomize(store, b, ++seed + 10);
  }
};

/// A 2 -> 3 -> 1 KAN from the model registry with LoTRA on every layer.
struct LotraNet {
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  AdapterSet adapters;
  LotraNet(int degree, const std::string& lr_scaling, bool attach = true, const std::string& contraction = "coefficients") {
    models::ModelSpec spec;
    spec.type = "kan";
    spec.kan_hidden = {3};
    spec.grid = 4;
    spec.degree = degree;
    model = models::build_model(spec, 2, 1, {-1.0, -0.5}, {1.0, 1.5}, store);
    if (attach) {
      AdapterSpec a;
      a.type = "lotra";
      a.ranks = {2, 2, 3};
      a.lr_scaling = lr_scaling;
      a.contraction = contraction;
      adapters = attach_adapters(*model, store, a);
    }
    store.finalize();
    model->initialize_params(11);
  }
};

}  // namespace pinnkit::adapters::lotra_testing
