#include "solvers/optimizer_registry.hpp"

#include "solvers/adam.hpp"
#include "solvers/lbfgs_stepper.hpp"
#include "solvers/odelora.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"

namespace pinnkit::solvers {

std::vector<FactorLayout> trainable_factor_layouts(const models::ParamStore& store,
                                                   const adapters::AdapterStructure& structure) {
  std::vector<FactorLayout> layouts;
  for (const auto& pair : structure.factor_pairs) {
    const auto &b = store.block(pair.b_block), &a = store.block(pair.a_block);
    if (!b.trainable || !a.trainable) continue;
    layouts.push_back({b.offset, a.offset, b.shape.at(0), b.shape.at(1), a.shape.at(1)});
  }
  return layouts;
}

View1<int> entries_outside_pairs(const TrainableEntries& entries, const std::vector<FactorLayout>& pairs,
                                 const std::string& who) {
  const auto movable = Kokkos::create_mirror_view_and_copy(HostSpace(), entries.indices());
  // 0 = movable, outside every pair; 1 = in a pair; -1 = frozen.
  std::vector<int> role(entries.full_size(), -1);
  for (int i = 0; i < entries.size(); ++i) role[movable(i)] = 0;
  auto claim = [&](std::size_t offset, std::size_t size) {
    PINNKIT_CHECK(offset + size <= role.size(), who + ": factor block outside the parameter vector");
    for (std::size_t j = offset; j < offset + size; ++j) {
      PINNKIT_CHECK(role[j] == 0, who + ": factor entry " + std::to_string(j) + " is frozen or in two pairs");
      role[j] = 1;
    }
  };
  for (const auto& f : pairs) {
    PINNKIT_CHECK(f.rows > 0 && f.rank > 0 && f.cols > 0, who + ": empty factor pair");
    claim(f.b_offset, std::size_t(f.rows) * f.rank);
    claim(f.a_offset, std::size_t(f.rank) * f.cols);
  }
  std::vector<int> plain;
  for (int j = 0; j < static_cast<int>(role.size()); ++j)
    if (role[j] == 0) plain.push_back(j);
  View1<int> out("pinnkit::solvers::" + who + "::plain", plain.size());
  Kokkos::deep_copy(out, HostView1<const int>(plain.data(), plain.size()));
  return out;
}

namespace {

/// The trainable factor pairs a factor-pair optimizer needs; without them it
/// would be plain gradient descent under another name, so that is bad input.
std::vector<FactorLayout> required_factor_layouts(const StepperSetup& s) {
  auto factors = trainable_factor_layouts(s.store, s.structure);
  if (factors.empty())
    throw InputError(input_message(
        s.file, s.key + ".optimizer",
        "expected an adapter with trainable factor pairs (adapter.type: lora or lora_kan) for " + s.stage.optimizer +
            ", got " + std::string(s.structure.factor_pairs.empty() ? "no adapter" : "frozen factors")));
  return factors;
}

// ---- optimizers

std::unique_ptr<Stepper> adam_with_decay(const StepperSetup& s, double weight_decay) {
  const auto& st = s.stage;
  const AdamSettings settings{st.betas[0], st.betas[1], st.eps, weight_decay, st.group_lr};
  return std::make_unique<GradientStepper>(std::make_unique<Adam>(s.entries, settings));
}

std::unique_ptr<Stepper> adam(const StepperSetup& s) { return adam_with_decay(s, 0.0); }
std::unique_ptr<Stepper> adamw(const StepperSetup& s) { return adam_with_decay(s, s.stage.weight_decay); }

std::unique_ptr<Stepper> sgd(const StepperSetup& s) {
  return std::make_unique<GradientStepper>(std::make_unique<Sgd>(s.entries, SgdSettings{s.stage.momentum, false}));
}

std::unique_ptr<Stepper> lbfgs(const StepperSetup& s) {
  LbfgsSettings settings;
  settings.history = s.stage.history;
  settings.lr = s.stage.lr;
  settings.gradient_tolerance = s.stage.tolerance;
  return std::make_unique<LbfgsStepper>(settings, s.entries);
}

std::unique_ptr<Stepper> scaled_gd(const StepperSetup& s) {
  const auto factors = required_factor_layouts(s);
  return std::make_unique<GradientStepper>(
      std::make_unique<ScaledGd>(s.entries, factors, ScaledGdSettings{s.stage.damping}));
}

std::unique_ptr<Stepper> odelora(const StepperSetup& s) {
  const auto factors = required_factor_layouts(s);
  OdeLoraSettings settings;
  settings.integrator = odelora_integrator(s.stage.integrator);
  settings.damping = s.stage.damping;
  settings.rebalance = s.stage.rebalance;
  return std::make_unique<OdeLora>(s.entries, factors, settings);
}

}  // namespace

static OptimizerEntry optimizer(std::string name, std::string description, StepperBuilder build,
                         std::vector<std::string> keys, bool schedule, bool group_lr = false,
                         bool fixed_points = false, bool log_every_step = false) {
  OptimizerCapabilities can;
  can.keys = std::move(keys);
  can.schedule = schedule;
  can.group_lr = group_lr;
  can.fixed_points = fixed_points;
  can.log_every_step = log_every_step;
  return {std::move(name), std::move(description), std::move(build), std::move(can)};
}

const Registry<OptimizerEntry>& optimizer_registry() {
  static const Registry<OptimizerEntry> registry{
      "optimizers",
      "training[].optimizer",
      {
          optimizer("adam", "Adam (Kingma & Ba 2015), per-group learning-rate factors (LoRA+)", adam,
                    {"schedule", "betas", "eps", "group_lr"}, true, true),
          optimizer("adamw", "Adam with decoupled weight decay (Loshchilov & Hutter 2019)", adamw,
                    {"schedule", "betas", "eps", "weight_decay", "group_lr"}, true, true),
          optimizer("sgd", "gradient descent with heavy-ball momentum", sgd, {"schedule", "momentum"}, true),
          optimizer("lbfgs", "L-BFGS with a strong Wolfe line search; runs to its own tolerance, fixed points",
                    lbfgs, {"history", "tolerance"}, false, false, true, true),
          optimizer("scaled_gd", "ScaledGD / Riemannian preconditioned LoRA (needs a LoRA adapter)", scaled_gd,
                    {"schedule", "damping"}, true),
          optimizer("odelora",
                    "ODELoRA: LoRA factors by an ODE (Euler/Heun/RK4) whose dW is the projected gradient flow "
                    "(needs a LoRA adapter with invertible factors: init balanced_random or spectral)",
                    odelora, {"schedule", "integrator", "rebalance", "damping"}, true),
      }};
  return registry;
}

std::unique_ptr<Stepper> make_stepper(const StepperSetup& setup) {
  return optimizer_registry().get(setup.stage.optimizer, setup.file, setup.key + ".optimizer").build(setup);
}

void check_steppers(const std::vector<StageSpec>& stages, const models::ParamStore& store,
                    const adapters::AdapterStructure& structure, const std::string& file) {
  const TrainableEntries entries(store);
  // A block with its own learning-rate factor (LoTRA's eta / n_in) would be
  // moved at the shared rate by an optimizer that ignores the factors.
  std::string scaled;
  for (const auto& b : store.blocks())
    if (b.trainable && b.lr_factor != 1.0 && scaled.empty()) scaled = b.name;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string key = "training[" + std::to_string(i) + "]";
    const auto& can = optimizer_registry().get(stages[i].optimizer, file, key + ".optimizer").capabilities;
    if (!scaled.empty() && can.schedule && !can.group_lr)
      throw InputError(input_message(file, key + ".optimizer",
                                     "expected an optimizer that applies per-block learning-rate factors (adam or "
                                     "adamw; block " + scaled + " has one, e.g. from adapter.lr_scaling: component), got " +
                                         stages[i].optimizer));
    make_stepper(StepperSetup{stages[i], entries, store, structure, file, key});
  }
}

}  // namespace pinnkit::solvers
