#include "models/make_model.hpp"

#include "core/error.hpp"
#include "models/activation.hpp"
#include "models/dense.hpp"
#include "models/fourier.hpp"
#include "models/input_scaling.hpp"
#include "models/kan_layer.hpp"

namespace pinnkit::models {

namespace {

void check_widths(const std::vector<int>& widths, const std::string& key) {
  for (std::size_t i = 0; i < widths.size(); ++i)
    if (widths[i] < 1)
      throw InputError(input_message("", key + "[" + std::to_string(i) + "]",
                                     "expected a positive integer, got " +
                                         std::to_string(widths[i])));
}

// Adds a layer and registers its blocks at once, so that blocks follow layer order.
void add_registered(Model& model, std::unique_ptr<Layer> layer, ParamStore& store) {
  model.add(std::move(layer)).register_params(store);
}

void add_mlp(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store) {
  const ActivationKind act = activation_from_name(spec.activation);
  const WeightInit init = weight_init_from_name(spec.init);
  check_widths(spec.hidden, "model.hidden");
  for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
    const std::string idx = std::to_string(i);
    add_registered(model, std::make_unique<Dense>("dense" + idx, width, spec.hidden[i], init),
                   store);
    add_registered(model, std::make_unique<Activation>("act" + idx, spec.hidden[i], act), store);
    width = spec.hidden[i];
  }
  add_registered(model,
                 std::make_unique<Dense>("dense" + std::to_string(spec.hidden.size()), width,
                                         out_dim, init),
                 store);
}

void add_kan(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store) {
  check_widths(spec.kan_hidden, "model.kan_hidden");
  const KanOptions options = kan_options_from(spec);
  std::vector<int> widths = spec.kan_hidden;
  widths.push_back(out_dim);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    // make_kan_layer registers the layer's blocks itself.
    model.add(make_kan_layer(width, widths[i], options, store, "kan" + std::to_string(i)));
    width = widths[i];
  }
}

}  // namespace

std::unique_ptr<Model> build_model(const ModelSpec& spec, int in_dim, int out_dim,
                                   const std::vector<double>& lower,
                                   const std::vector<double>& upper, ParamStore& store) {
  if (spec.type != "mlp" && spec.type != "kan")
    throw InputError(input_message("", "model.type",
                                   "expected one of mlp, kan, got '" + spec.type + "'"));
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
  if (spec.type == "mlp")
    add_mlp(*model, spec, width, out_dim, store);
  else
    add_kan(*model, spec, width, out_dim, store);
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
