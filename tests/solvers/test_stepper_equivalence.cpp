// The trainer drives every optimizer through the Stepper interface. These
// tests replay the optimizer loops the trainer ran before that interface
// existed (first-order: resample, evaluate, step; L-BFGS: start, iterate
// until its own stop) directly on the optimizer classes, and require the
// trainer's final parameters to equal them to the last bit.
#include <gtest/gtest.h>

#include <cstring>

#include "adapters/adapter_set.hpp"
#include "support/solver_fixture.hpp"
#include "solvers/adam.hpp"
#include "solvers/lbfgs.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/schedule.hpp"
#include "solvers/sgd.hpp"
#include "solvers/trainer.hpp"

namespace pinnkit::solvers {
namespace {

StageSpec stage(const std::string& optimizer, double lr, int steps) {
  StageSpec s;
  s.optimizer = optimizer;
  s.lr = lr;
  s.steps = steps;
  s.weight_decay = optimizer == "adamw" ? 0.01 : 0.0;
  if (optimizer != "lbfgs") s.schedule = {"exponential", 0.5, 4, 0.0};
  s.history = 5;
  return s;
}

/// The optimizer loops of the trainer before the Stepper interface, on the
/// optimizer classes themselves.
void reference_run(Objective& objective, models::ParamStore& store, const std::vector<StageSpec>& stages,
                   const SamplingSpec& sampling, const std::vector<FactorLayout>& factors) {
  const ExecSpace exec;
  TrainableEntries entries(store);
  int step = 0;
  for (const auto& st : stages) {
    if (st.optimizer == "lbfgs") {
      LbfgsSettings settings;
      settings.history = st.history;
      settings.lr = st.lr;
      settings.gradient_tolerance = st.tolerance;
      Oracle oracle = [&](const View1<const Real>& x, const View1<Real>& g) {
        entries.scatter(exec, x, store.params());
        const double f = objective.value_and_grad(exec).total;
        entries.gather(exec, store.grads(), g);
        return f;
      };
      Lbfgs lbfgs(entries.size(), settings, oracle);
      View1<Real> x0("x0", entries.size());
      entries.gather(exec, store.params(), x0);
      LbfgsIteration it = lbfgs.start(exec, x0);
      for (int k = 0; it.status == LbfgsStatus::running && k < st.steps; ++k) {
        it = lbfgs.iterate(exec);
        if (it.status == LbfgsStatus::line_search_failed) {
          entries.scatter(exec, lbfgs.x(), store.params());
          break;
        }
        ++step;
      }
      continue;
    }
    std::unique_ptr<FirstOrderOptimizer> opt;
    if (st.optimizer == "adam" || st.optimizer == "adamw")
      opt = std::make_unique<Adam>(entries, AdamSettings{st.betas[0], st.betas[1], st.eps, st.weight_decay, st.group_lr});
    else if (st.optimizer == "sgd")
      opt = std::make_unique<Sgd>(entries, SgdSettings{st.momentum, false});
    else
      opt = std::make_unique<ScaledGd>(entries, factors, ScaledGdSettings{st.damping});
    for (int k = 0; k < st.steps; ++k) {
      if (sampling.resample_every > 0 && step > 0 && step % sampling.resample_every == 0) objective.resample();
      objective.value_and_grad(exec);
      opt->step(exec, store.params(), store.grads(), scheduled_lr(st.schedule, st.lr, k, st.steps));
      ++step;
    }
  }
}

void expect_bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  std::size_t differ = 0, first = a.size();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0 && differ++ == 0) first = i;
  EXPECT_EQ(differ, 0u) << "first difference at " << first << ": " << a[first] << " vs " << b[first];
}

std::vector<double> trained(testing::SmallPinn& pinn, const std::vector<StageSpec>& stages,
                            const adapters::AdapterStructure& structure = {}) {
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 3);
  Evaluator evaluator(pinn.problem, testing::grid_at_end(5));
  TrainerOptions options;
  options.quiet = true;
  options.structure = structure;
  Trainer trainer(*pinn.model, pinn.store, objective, evaluator, stages, pinn.sampling, testing::grid_at_end(5),
                  options);
  EXPECT_EQ(trainer.run(ExecSpace()).outcome, Outcome::completed);
  return pinn.store.params_to_host();
}

TEST(StepperEquivalence, AdamLbfgsSgdAdamwMatchTheDirectLoopsBitForBit) {
  const std::vector<StageSpec> stages{stage("adam", 1e-2, 9), stage("lbfgs", 1.0, 6), stage("sgd", 1e-3, 5),
                                      stage("adamw", 1e-3, 4)};
  testing::SmallPinn a, b;
  a.sampling.resample_every = b.sampling.resample_every = 3;
  a.sampling.method = b.sampling.method = "uniform";
  const auto by_trainer = trained(a, stages);
  Objective objective(b.problem, *b.model, b.store, b.sampling, b.loss, 3);
  reference_run(objective, b.store, stages, b.sampling, {});
  expect_bit_identical(by_trainer, b.store.params_to_host());
}

TEST(StepperEquivalence, ScaledGdMatchesTheDirectLoopBitForBit) {
  auto build = [](models::ParamStore& store, pde::Poisson& problem, adapters::AdapterSet& set) {
    models::ModelSpec spec;
    spec.hidden = {6, 6};
    auto model = models::build_model(spec, 2, 1, problem.domain().lower(), problem.domain().upper(), store);
    adapters::AdapterSpec a;
    a.type = "lora";
    a.rank = 2;
    set = adapters::attach_adapters(*model, store, a);
    store.finalize();
    model->initialize_params(5);
    for (const auto& pair : set.structure().factor_pairs)
      store.block_from_host(pair.b_block, std::vector<double>(store.block(pair.b_block).size(), 0.05));
    return model;
  };
  testing::SmallPinn a, b;
  adapters::AdapterSet set_a, set_b;
  models::ParamStore store_a, store_b;
  auto model_a = build(store_a, a.problem, set_a), model_b = build(store_b, b.problem, set_b);
  const std::vector<StageSpec> stages{stage("scaled_gd", 0.05, 7), stage("lbfgs", 1.0, 3)};
  Objective oa(a.problem, *model_a, store_a, a.sampling, a.loss, 3);
  Evaluator evaluator(a.problem, testing::grid_at_end(5));
  TrainerOptions options;
  options.quiet = true;
  options.structure = set_a.structure();
  Trainer trainer(*model_a, store_a, oa, evaluator, stages, a.sampling, testing::grid_at_end(5), options);
  EXPECT_EQ(trainer.run(ExecSpace()).outcome, Outcome::completed);
  Objective ob(b.problem, *model_b, store_b, b.sampling, b.loss, 3);
  reference_run(ob, store_b, stages, b.sampling, trainable_factor_layouts(store_b, set_b.structure()));
  expect_bit_identical(store_a.params_to_host(), store_b.params_to_host());
}

TEST(StepperEquivalence, ScaledGdWithoutFactorPairsIsAnInputErrorBeforeTraining) {
  testing::SmallPinn pinn;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 3);
  Evaluator evaluator(pinn.problem, testing::grid_at_end(5));
  TrainerOptions options;
  options.file = "t.yaml";
  try {
    Trainer trainer(*pinn.model, pinn.store, objective, evaluator, {stage("adam", 1e-3, 2), stage("scaled_gd", 0.1, 2)},
                    pinn.sampling, testing::grid_at_end(5), options);
    FAIL() << "scaled_gd without an adapter was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml: training[1].optimizer: expected an adapter with trainable factor pairs"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace pinnkit::solvers
