// Per-group learning rates: Adam scales each entry's step by the factor of
// its block's group (LoRA+), frozen blocks keep no state and do not move,
// and the optimizer registry passes a stage's group_lr through.
#include <gtest/gtest.h>

#include "support/stepper_support.hpp"

#include <cmath>

#include "models/param_store.hpp"
#include "solvers/adam.hpp"
#include "solvers/optimizer.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {
namespace {

struct GroupedStore {
  models::ParamStore store;
  GroupedStore() {
    store.add("w", {2, 2});
    store.add("frozen", {3}, "default", false);
    store.add("a", {2}, "lora_A");
    store.add("b", {3}, "lora_B");
    store.finalize();
    // Gradients of mixed sign and size: Adam's first step is lr * sign(g).
    std::vector<double> g{1, -2, 3, -4, 5, 6, 7, -0.5, 0.25, -8, 9, -10};
    auto h = Kokkos::create_mirror_view(store.grads());
    for (std::size_t i = 0; i < g.size(); ++i) h(i) = g[i];
    Kokkos::deep_copy(store.grads(), h);
  }
  std::vector<double> grads() const { return store.grads_to_host(); }
};

TEST(ParamGroups, EntriesKnowTheirGroupsInOrder) {
  GroupedStore s;
  const TrainableEntries entries(s.store);
  EXPECT_EQ(entries.groups(), (std::vector<std::string>{"default", "lora_A", "lora_B"}));
  EXPECT_EQ(entries.size(), 4 + 2 + 3);
  auto f = Kokkos::create_mirror_view_and_copy(HostSpace(), entries.lr_factors({{"lora_B", 4.0}, {"nothing", 9.0}}));
  for (int i = 0; i < entries.size(); ++i) EXPECT_EQ(f(i), i >= 6 ? 4.0 : 1.0) << i;
}

void expect_first_adam_step(const GroupedStore& s, const std::vector<double>& before, double lr,
                            const std::map<std::string, double>& factor) {
  const auto after = s.store.params_to_host();
  const auto g = s.grads();
  for (const auto& b : s.store.blocks())
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i) {
      if (!b.trainable) {
        EXPECT_EQ(after[i], before[i]) << b.name;
        continue;
      }
      const double k = factor.count(b.group) ? factor.at(b.group) : 1.0;
      // 1e-6: Adam's epsilon against |g|. In float the difference of two
      // O(1) parameters also carries eps / (k lr) of round-off: tol(1e-12).
      EXPECT_NEAR(after[i] - before[i], -k * lr * (g[i] > 0 ? 1 : -1),
                  testing::tol_floor(1e-6, 1e-12) * k * lr) << b.name << " " << i;
    }
}

TEST(ParamGroups, AdamScalesTheStepOfEachGroup) {
  GroupedStore s;
  const auto before = s.store.params_to_host();
  AdamSettings settings;
  settings.group_lr = {{"lora_B", 16.0}, {"lora_A", 0.5}};
  Adam adam(TrainableEntries(s.store), settings);
  adam.step(s.store.params(), s.store.grads(), 0.01);
  expect_first_adam_step(s, before, 0.01, settings.group_lr);
}

TEST(ParamGroups, StageGroupLrReachesTheOptimizer) {
  GroupedStore s;
  const auto before = s.store.params_to_host();
  StageSpec stage;
  stage.group_lr = {{"lora_B", 8.0}};
  const TrainableEntries entries(s.store);
  GradientOnlyOracle oracle(s.store);
  stepper_for(stage, s.store, entries)->step(ExecSpace(), oracle, 0.001);
  expect_first_adam_step(s, before, 0.001, stage.group_lr);
}

}  // namespace
}  // namespace pinnkit::solvers
