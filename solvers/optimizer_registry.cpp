#include "solvers/optimizer_registry.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numeric>

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

namespace {

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
  const auto factors = trainable_factor_layouts(s.store, s.structure);
  // Without pairs it would be plain gradient descent under another name.
  if (factors.empty())
    throw InputError(input_message(
        s.file, s.key + ".optimizer",
        "expected an adapter with trainable factor pairs (adapter.type: lora) for scaled_gd, got " +
            std::string(s.structure.factor_pairs.empty() ? "no adapter" : "frozen factors")));
  return std::make_unique<GradientStepper>(
      std::make_unique<ScaledGd>(s.entries, factors, ScaledGdSettings{s.stage.damping}));
}

std::unique_ptr<Stepper> odelora(const StepperSetup& s) {
  const auto factors = trainable_factor_layouts(s.store, s.structure);
  if (factors.empty())
    throw InputError(input_message(
        s.file, s.key + ".optimizer",
        "expected an adapter with trainable factor pairs (adapter.type: lora) for odelora, got " +
            std::string(s.structure.factor_pairs.empty() ? "no adapter" : "frozen factors")));
  OdeLoraSettings settings;
  settings.integrator = odelora_integrator(s.stage.integrator);
  settings.damping = s.stage.damping;
  settings.rebalance = s.stage.rebalance;
  return std::make_unique<OdeLora>(s.entries, factors, settings);
}

// ---- schedules

double constant(const ScheduleSpec&, double lr, int, int) { return lr; }
double exponential(const ScheduleSpec& s, double lr, int step, int) {
  return lr * std::pow(s.decay, static_cast<double>(step) / s.every);
}
double stepwise(const ScheduleSpec& s, double lr, int step, int) {
  return lr * std::pow(s.decay, static_cast<double>(step / s.every));
}
double cosine(const ScheduleSpec& s, double lr, int step, int total_steps) {
  const double pi = std::acos(-1.0);
  const double progress = total_steps > 1 ? static_cast<double>(step) / (total_steps - 1) : 1.0;
  return s.min_lr + 0.5 * (lr - s.min_lr) * (1 + std::cos(pi * progress));
}

// ---- samplers

PointGenerator uniform(int dim, std::uint64_t seed) {
  return [dim, rng = boost::random::mt19937_64(seed)](int n) mutable {
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    for (double& v : out) v = u(rng);
    return out;
  };
}

PointGenerator sobol(int dim, std::uint64_t /*seed*/) {
  // Boost's sequence starts at (1/2, ..., 1/2): the origin is already skipped.
  auto sequence = std::make_shared<boost::random::sobol>(dim);
  return [dim, sequence](int n) {
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    // 2^-64 scaling of the 64-bit Sobol integers gives [0, 1).
    const double scale = std::ldexp(1.0, -64);
    for (double& v : out) v = static_cast<double>((*sequence)()) * scale;
    return out;
  };
}

PointGenerator latin_hypercube(int dim, std::uint64_t seed) {
  // One point per stratum along every axis, strata paired by random permutations.
  return [dim, rng = boost::random::mt19937_64(seed)](int n) mutable {
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<int> perm(n);
    for (int a = 0; a < dim; ++a) {
      std::iota(perm.begin(), perm.end(), 0);
      for (int i = n - 1; i > 0; --i) std::swap(perm[i], perm[static_cast<int>(u(rng) * (i + 1)) % (i + 1)]);
      for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i) * dim + a] = (perm[i] + u(rng)) / n;
    }
    return out;
  };
}

PointGenerator grid(int dim, std::uint64_t /*seed*/) {
  // Cell centres, m per axis with m^dim close to n.
  return [dim](int n) {
    const int m = std::max(2, static_cast<int>(std::floor(std::pow(std::max(n, 1), 1.0 / dim) + 1e-9)));
    std::size_t total = 1;
    for (int a = 0; a < dim; ++a) total *= m;
    std::vector<double> out(total * dim);
    for (std::size_t i = 0; i < total; ++i) {
      std::size_t rest = i;
      for (int a = dim - 1; a >= 0; --a) {
        out[i * dim + a] = (static_cast<double>(rest % m) + 0.5) / m;
        rest /= m;
      }
    }
    return out;
  };
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
  for (std::size_t i = 0; i < stages.size(); ++i)
    make_stepper(StepperSetup{stages[i], entries, store, structure, file, "training[" + std::to_string(i) + "]"});
}

const Registry<ScheduleEntry>& schedule_registry() {
  static const Registry<ScheduleEntry> registry{
      "schedules",
      "training[].schedule.type",
      {
          {"constant", "lr throughout the stage", constant, {}},
          {"exponential", "lr decay^(step/every), smooth", exponential, {{"decay", "every"}}},
          {"cosine", "from lr down to min_lr over the stage (half a cosine)", cosine, {{"min_lr"}}},
          {"step", "lr decay^floor(step/every)", stepwise, {{"decay", "every"}}},
      }};
  return registry;
}

static SamplerCapabilities exact(bool count) {
  SamplerCapabilities can;
  can.exact_count = count;
  return can;
}

const Registry<SamplerEntry>& sampler_registry() {
  static const Registry<SamplerEntry> registry{
      "samplers",
      "sampling.method",
      {
          {"uniform", "independent uniform points (Mersenne twister, seeded)", uniform, exact(true)},
          {"lhs", "Latin hypercube: one point per stratum along every axis", latin_hypercube, exact(true)},
          {"sobol", "Sobol low-discrepancy sequence; a resample continues it", sobol, exact(true)},
          {"grid", "cell centres of an m^d grid, m = floor(n^(1/d)): the count may differ from n", grid,
           exact(false)},
      }};
  return registry;
}

}  // namespace pinnkit::solvers
