#include "models/make_model.hpp"

#include "core/error.hpp"
#include "models/fourier.hpp"
#include "models/input_scaling.hpp"
#include "models/registries.hpp"

namespace pinnkit::models {

namespace {

// Adds a layer and registers its blocks at once, so that blocks follow layer order.
void add_registered(Model& model, std::unique_ptr<Layer> layer, ParamStore& store) {
  model.add(std::move(layer)).register_params(store);
}

}  // namespace

std::unique_ptr<Model> build_model(const ModelSpec& spec, int in_dim, int out_dim,
                                   const std::vector<double>& lower,
                                   const std::vector<double>& upper, ParamStore& store) {
  const ModelEntry& family = model_registry().get(spec.type);
  PINNKIT_CHECK(static_cast<int>(lower.size()) == in_dim &&
                    static_cast<int>(upper.size()) == in_dim,
                "build_model: domain box of another dimension");
  auto model = std::make_unique<Model>(in_dim, out_dim);
  if (spec.normalize_inputs)
    add_registered(*model, std::make_unique<InputScaling>("input_scaling", lower, upper), store);
  int width = in_dim;
  if (spec.fourier.count > 0) {
    add_registered(*model,
                   std::make_unique<FourierFeatures>("fourier", width, spec.fourier.count,
                                                     spec.fourier.scale),
                   store);
    width = 2 * spec.fourier.count;
  }
  family.build(*model, spec, width, out_dim, store);
  return model;
}

std::unique_ptr<Model> make_model(const ModelSpec& spec, int in_dim, int out_dim,
                                  const std::vector<double>& lower,
                                  const std::vector<double>& upper, ParamStore& store,
                                  std::uint64_t seed) {
  auto model = build_model(spec, in_dim, out_dim, lower, upper, store);
  store.finalize();
  model->initialize_params(seed);
  return model;
}

}  // namespace pinnkit::models
