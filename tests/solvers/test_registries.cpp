// Every entry of every registry builds and does its job on a small case:
// a new entry that cannot be built fails here, not in a user's run.
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/adapter_registry.hpp"
#include "adapters/adapter_set.hpp"
#include "models/activation.hpp"
#include "models/dense.hpp"
#include "models/make_model.hpp"
#include "models/registries.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/schedule.hpp"
#include "solvers/unit_sampler.hpp"

#include "support/stepper_support.hpp"

namespace pinnkit::solvers {
namespace {

models::ModelSpec small_spec(const std::string& type) {
  models::ModelSpec spec;
  spec.type = type;
  spec.hidden = {5, 4};
  spec.kan_hidden = {3};
  spec.grid = 4;
  return spec;
}

TEST(Registries, EveryModelTypeBuildsANetworkThatRuns) {
  for (const auto& e : models::model_registry().entries()) {
    SCOPED_TRACE(e.name);
    models::ParamStore store;
    auto model = models::make_model(small_spec(e.name), 2, 1, {-1, -1}, {1, 1}, store, 3);
    ASSERT_GT(model->layer_count(), 0);
    EXPECT_GT(store.trainable_size(), 0u);
    View2<Real> x("x", 4, 2);
    Kokkos::deep_copy(x, 0.25);
    const auto y = Kokkos::create_mirror_view_and_copy(HostSpace(), model->forward(JetSpec(2), x));
    for (int n = 0; n < 4; ++n) EXPECT_TRUE(std::isfinite(y(n, 0, 0)));
    EXPECT_FALSE(e.description.empty());
  }
}

TEST(Registries, EveryActivationAndInitialiserBuilds) {
  for (const auto& e : models::activation_registry().entries()) {
    SCOPED_TRACE(e.name);
    EXPECT_EQ(models::activation_name(e.build), e.name);
    models::ModelSpec spec = small_spec("mlp");
    spec.activation = e.name;
    models::ParamStore store;
    EXPECT_NO_THROW(models::make_model(spec, 2, 1, {-1, -1}, {1, 1}, store, 3));
  }
  for (const auto& e : models::initializer_registry().entries()) {
    SCOPED_TRACE(e.name);
    models::ParamStore store;
    models::Dense dense("d", 30, 20, e.name);
    dense.register_params(store);
    store.finalize();
    dense.initialize_params(7);
    const auto w = store.block_to_host("d.weight");
    double largest = 0;
    for (double v : w) largest = std::max(largest, std::abs(v));
    EXPECT_GT(largest, 0.0);
    EXPECT_LE(largest, std::sqrt(6.0 / 30.0) + 1e-12);  // both bounds lie below kaiming's
  }
}

TEST(Registries, EveryAdapterAttachesToTheLayersItAppliesTo) {
  for (const auto& e : adapters::adapter_registry().entries())
    for (const std::string network : {"mlp", "kan"}) {
      SCOPED_TRACE(e.name + " on " + network);
      models::ParamStore store;
      auto model = models::build_model(small_spec(network), 2, 1, {-1, -1}, {1, 1}, store);
      adapters::AdapterSpec spec;
      spec.type = e.name;
      spec.rank = 2;
      spec.ranks = {2, 2, 2};
      int applicable = 0;
      for (int i = 0; i < model->layer_count(); ++i)
        applicable += e.build && e.capabilities.applies_to(model->layer(i)) ? 1 : 0;
      if (e.build && applicable == 0) {  // a network without a layer the type adapts is bad input
        EXPECT_THROW(adapters::attach_adapters(*model, store, spec, "t.yaml"), InputError);
        continue;
      }
      const auto set = adapters::attach_adapters(*model, store, spec, "t.yaml");
      EXPECT_EQ(static_cast<int>(set.adapters().size()), applicable);
      EXPECT_EQ(set.empty(), !e.build);
      store.finalize();
      model->initialize_params(3);
      View2<Real> x("x", 4, 2);
      Kokkos::deep_copy(x, 0.25);
      const auto y = Kokkos::create_mirror_view_and_copy(HostSpace(), model->forward(JetSpec(2), x));
      for (int n = 0; n < 4; ++n) EXPECT_TRUE(std::isfinite(y(n, 0, 0)));
    }
}

TEST(Registries, EveryOptimizerBuildsAStepperThatMovesTheParameters) {
  models::ParamStore store;
  store.add("B", {3, 2}, "lora_B");
  store.add("A", {2, 4}, "lora_A");
  store.finalize();
  std::vector<double> start(store.size());
  for (std::size_t i = 0; i < start.size(); ++i) start[i] = 0.1 * (1.0 + static_cast<double>(i % 5));
  const adapters::AdapterStructure pairs{{{"B", "A", 1.0}}, {}, {}};
  for (const auto& e : optimizer_registry().entries()) {
    SCOPED_TRACE(e.name);
    store.params_from_host(start);
    Kokkos::deep_copy(store.grads(), 0.5);
    StageSpec stage;
    stage.optimizer = e.name;
    const TrainableEntries entries(store);
    auto stepper = stepper_for(stage, store, entries, pairs);
    // A quadratic 1/2 |p|^2 as the oracle, so that line searches find a step.
    struct Quadratic : StepOracle {
      explicit Quadratic(models::ParamStore& s) : s_(s) {}
      LossValues value_and_grad(const ExecSpace& exec) override {
        ++evaluations_;
        Kokkos::deep_copy(exec, s_.grads(), s_.params());
        double f = 0;
        for (double v : s_.params_to_host()) f += 0.5 * v * v;
        return {f, {}};
      }
      models::ParamStore& store() override { return s_; }
      models::ParamStore& s_;
    } oracle(store);
    const LossValues f0 = oracle.value_and_grad(ExecSpace());
    stepper->begin(ExecSpace(), oracle, f0);
    const StepReport report = stepper->step(ExecSpace(), oracle, 0.1);
    EXPECT_FALSE(report.failed) << report.message;
    const auto after = store.params_to_host();
    double moved = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
      EXPECT_TRUE(std::isfinite(after[i]));
      moved += std::abs(after[i] - start[i]);
    }
    EXPECT_GT(moved, 0.0);
  }
}

// A block with its own learning-rate factor (LoTRA's eta / n_in) must not be
// trained by an optimizer that would silently ignore it.
TEST(Registries, PerBlockRateFactorsNeedAnOptimizerThatAppliesThem) {
  models::ParamStore store;
  store.add("w", {3});
  store.add("u", {2});
  store.finalize();
  store.set_lr_factor("u", 0.25);
  auto stages = [](const std::string& optimizer) {
    StageSpec s;
    s.optimizer = optimizer;
    return std::vector<StageSpec>{s};
  };
  for (const char* ok : {"adam", "adamw", "lbfgs"}) EXPECT_NO_THROW(check_steppers(stages(ok), store, {}, "t.yaml")) << ok;
  try {
    check_steppers(stages("sgd"), store, {}, "t.yaml");
    FAIL() << "sgd accepted a block with its own rate factor";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml: training[0].optimizer: expected an optimizer that applies per-block"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("block u"), std::string::npos) << e.what();
  }
  store.set_lr_factor("u", 1.0);
  EXPECT_NO_THROW(check_steppers(stages("sgd"), store, {}, "t.yaml"));
}

TEST(Registries, EveryScheduleStartsAtLrAndStaysPositive) {
  for (const auto& e : schedule_registry().entries()) {
    SCOPED_TRACE(e.name);
    ScheduleSpec s;
    s.type = e.name;
    s.decay = 0.5;
    s.every = 10;
    s.min_lr = 1e-4;
    EXPECT_DOUBLE_EQ(e.build(s, 0.1, 0, 100), 0.1);
    for (int k = 0; k < 100; ++k) {
      const double lr = e.build(s, 0.1, k, 100);
      EXPECT_GT(lr, 0.0);
      EXPECT_LE(lr, 0.1);
    }
  }
}

TEST(Registries, EverySamplerGivesPointsInTheUnitCube) {
  for (const auto& e : sampler_registry().entries()) {
    SCOPED_TRACE(e.name);
    auto next = e.build(3, 11);
    const auto pts = next(64);
    if (e.capabilities.exact_count) {
      EXPECT_EQ(pts.size(), 64u * 3);
    }
    EXPECT_EQ(pts.size() % 3, 0u);
    for (double v : pts) {
      EXPECT_GE(v, 0.0);
      EXPECT_LT(v, 1.0);
    }
  }
}

}  // namespace
}  // namespace pinnkit::solvers
