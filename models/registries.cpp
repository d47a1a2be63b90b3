#include "models/registries.hpp"

#include "models/activation.hpp"
#include "models/dense.hpp"
#include "models/kan_layer.hpp"
#include "models/slim_kan_layer.hpp"

namespace pinnkit::models {

namespace {

void check_widths(const std::vector<int>& widths, const std::string& key) {
  for (std::size_t i = 0; i < widths.size(); ++i)
    if (widths[i] < 1)
      throw InputError(input_message("", key + "[" + std::to_string(i) + "]",
                                     "expected a positive integer, got " + std::to_string(widths[i])));
}

void add_mlp(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store) {
  const ActivationKind act = activation_registry().get(spec.activation).build;
  initializer_registry().get(spec.init);  // rejects an unknown name before any layer exists
  check_widths(spec.hidden, "model.hidden");
  for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
    const std::string idx = std::to_string(i);
    model.add(std::make_unique<Dense>("dense" + idx, width, spec.hidden[i], spec.init)).register_params(store);
    model.add(std::make_unique<Activation>("act" + idx, spec.hidden[i], act)).register_params(store);
    width = spec.hidden[i];
  }
  model.add(std::make_unique<Dense>("dense" + std::to_string(spec.hidden.size()), width, out_dim, spec.init))
      .register_params(store);
}

void add_kan(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store) {
  check_widths(spec.kan_hidden, "model.kan_hidden");
  const KanOptions options = kan_options_from(spec);
  std::vector<int> widths = spec.kan_hidden;
  widths.push_back(out_dim);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    model.add(std::make_unique<KanLayer>("kan" + std::to_string(i), width, widths[i], options))
        .register_params(store);
    width = widths[i];
  }
}

/// model.ranks of slim_kan: exactly three positive integers [r1, r2, r3].
std::array<int, 3> tucker_ranks(const std::vector<int>& ranks, const std::string& key) {
  if (ranks.size() != 3)
    throw InputError(input_message("", key, "expected three ranks [r1, r2, r3], got " +
                                                std::to_string(ranks.size()) + " entries"));
  check_widths(ranks, key);
  return {ranks[0], ranks[1], ranks[2]};
}

void add_slim_kan(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store) {
  check_widths(spec.kan_hidden, "model.kan_hidden");
  const std::array<int, 3> ranks = tucker_ranks(spec.ranks, "model.ranks");
  const KanOptions options = kan_options_from(spec);
  std::vector<int> widths = spec.kan_hidden;
  widths.push_back(out_dim);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    model.add(std::make_unique<SlimKanLayer>("kan" + std::to_string(i), width, widths[i], options, ranks))
        .register_params(store);
    width = widths[i];
  }
}

Initializer xavier(int fan_in, int fan_out) { return Initializer::glorot_uniform(fan_in, fan_out); }
Initializer kaiming(int fan_in, int /*fan_out*/) { return Initializer::kaiming_uniform(fan_in); }

}  // namespace

const Registry<ModelEntry>& model_registry() {
  static const Registry<ModelEntry> registry{
      "models",
      "model.type",
      {
          {"mlp", "multilayer perceptron: dense layers with an activation between them", add_mlp,
           {{"hidden", "activation", "init"}}},
          {"kan", "Kolmogorov-Arnold network: B-spline edge functions (+ SiLU base branch)", add_kan,
           {{"kan_hidden", "grid", "degree", "grid_range", "base"}}},
          {"slim_kan",
           "Slim KAN: a KAN whose coefficient tensors are stored and trained in Tucker form only (ranks [r1, r2, r3])",
           add_slim_kan, {{"kan_hidden", "grid", "degree", "grid_range", "base", "ranks"}}},
      }};
  return registry;
}

const Registry<ActivationEntry>& activation_registry() {
  static const Registry<ActivationEntry> registry{
      "activations",
      "model.activation",
      {
          {"tanh", "hyperbolic tangent (the PINN default)", ActivationKind::tanh, {}},
          {"sin", "sine (SIREN-like periodic features)", ActivationKind::sin, {}},
          {"silu", "z sigmoid(z)", ActivationKind::silu, {}},
          {"gelu", "z Phi(z), the exact (erf) form", ActivationKind::gelu, {}},
          {"softplus", "log(1 + e^z)", ActivationKind::softplus, {}},
      }};
  return registry;
}

const Registry<InitializerEntry>& initializer_registry() {
  // Xavier keeps tanh/sin nets in their linear range at init; kaiming is
  // PyTorch's ReLU-family choice.
  static const Registry<InitializerEntry> registry{
      "initialisers",
      "model.init",
      {
          {"xavier", "Glorot uniform, U(+-sqrt(6/(fan_in+fan_out)))", xavier, {}},
          {"kaiming", "Kaiming uniform with gain sqrt(2), U(+-sqrt(6/fan_in))", kaiming, {}},
      }};
  return registry;
}

}  // namespace pinnkit::models
