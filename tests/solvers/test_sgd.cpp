#include <gtest/gtest.h>

#include "support/stepper_support.hpp"

#include <memory>
#include <vector>

#include "core/error.hpp"
#include "models/param_store.hpp"
#include "solvers/adam.hpp"
#include "solvers/optimizer.hpp"
#include "solvers/sgd.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

View1<Real> device(const std::vector<double>& v) {
  View1<Real> d("v", v.size());
  auto h = Kokkos::create_mirror_view(d);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(d, h);
  return d;
}

std::vector<double> host(const View1<Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

/// Two steps of `sgd` on p0 with the given gradients (not a function's: the
/// update rule alone is under test).
std::vector<double> two_steps(Sgd& sgd, const std::vector<double>& p0, const std::vector<double>& g1,
                              const std::vector<double>& g2, double lr) {
  auto p = device(p0);
  sgd.step(p, device(g1), lr);
  sgd.step(p, device(g2), lr);
  return host(p);
}

}  // namespace

TEST(Sgd, HeavyBallMomentumMatchesTwoHandComputedSteps) {
  // v1 = g1 = (0.5, 1, 0);  p1 = p0 - 0.1 v1 = (0.95, -2.1, 3)
  // v2 = 0.9 v1 + g2 = (-0.55, 2.9, 4);  p2 = p1 - 0.1 v2 = (1.005, -2.39, 2.6)
  Sgd sgd(3, SgdSettings{0.9, false});
  const auto p = two_steps(sgd, {1, -2, 3}, {0.5, 1, 0}, {-1, 2, 4}, 0.1);
  const std::vector<double> expected{1.005, -2.39, 2.6};
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(p[i], expected[i], testing::tol(1e-12)) << i;
}

TEST(Sgd, NesterovLooksAheadAlongTheVelocity) {
  // step 1: v1 = g1;  p1 = p0 - 0.1 (g1 + 0.9 v1) = (0.905, -2.19, 3)
  // step 2: v2 = (-0.55, 2.9, 4);  p2 = p1 - 0.1 (g2 + 0.9 v2) = (1.0545, -2.651, 2.24)
  Sgd sgd(3, SgdSettings{0.9, true});
  const auto p = two_steps(sgd, {1, -2, 3}, {0.5, 1, 0}, {-1, 2, 4}, 0.1);
  const std::vector<double> expected{1.0545, -2.651, 2.24};
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(p[i], expected[i], testing::tol(1e-12)) << i;
}

TEST(Sgd, WithoutMomentumIsPlainGradientDescent) {
  Sgd sgd(2, SgdSettings{0.0, false});
  const auto p = two_steps(sgd, {1, 1}, {1, -2}, {3, 0}, 0.5);
  EXPECT_NEAR(p[0], 1 - 0.5 - 1.5, 1e-12);
  EXPECT_NEAR(p[1], 1 + 1.0, 1e-12);
}

TEST(TrainableEntries, IndexOnlyTrainableBlocksAndGatherScatterThem) {
  models::ParamStore store;
  store.add("a", {2});
  store.add("frozen", {3}, "default", false);
  store.add("b", {1, 2});
  store.finalize();
  store.params_from_host({0, 1, 2, 3, 4, 5, 6});
  TrainableEntries entries(store);
  EXPECT_EQ(entries.size(), 4);
  EXPECT_EQ(entries.full_size(), 7);
  EXPECT_FALSE(entries.everything());
  const ExecSpace exec;
  View1<Real> packed("packed", 4);
  entries.gather(exec, store.params(), packed);
  EXPECT_EQ(host(packed), (std::vector<double>{0, 1, 5, 6}));
  Kokkos::deep_copy(packed, -1.0);
  entries.scatter(exec, packed, store.params());
  EXPECT_EQ(store.params_to_host(), (std::vector<double>{-1, -1, 2, 3, 4, -1, -1}));
  store.params_from_host({0, 0, -9, 0, 0, 0, 2});
  EXPECT_EQ(entries.inf_norm(exec, store.params()), 2.0);  // the frozen -9 does not count
}

class FirstOrderOnFrozenBlocks : public ::testing::TestWithParam<const char*> {};

// Weight decay and momentum would move a frozen block even at zero
// gradient; its gradient here is large, so any leak shows.
TEST_P(FirstOrderOnFrozenBlocks, NeverMovesThemAndMovesTheRest) {
  models::ParamStore store;
  store.add("head", {3});
  store.add("frozen", {2, 2}, "default", false);
  store.add("tail", {2});
  store.finalize();
  const std::vector<double> start{1, 2, 3, 4, 5, 6, 7, 8, 9};
  store.params_from_host(start);
  Kokkos::deep_copy(store.grads(), 10.0);
  StageSpec stage;
  stage.optimizer = GetParam();
  stage.weight_decay = 0.1;
  const TrainableEntries entries(store);
  auto stepper = stepper_for(stage, store, entries);
  GradientOnlyOracle oracle(store);
  for (int k = 0; k < 3; ++k) stepper->step(ExecSpace(), oracle, 0.01);
  const auto after = store.params_to_host();
  for (int i = 0; i < 9; ++i) {
    const bool frozen = i >= 3 && i < 7;
    if (frozen)
      EXPECT_EQ(after[i], start[i]) << GetParam() << " moved frozen entry " << i;
    else
      EXPECT_LT(after[i], start[i]) << GetParam() << " did not move entry " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AdamAdamwSgd, FirstOrderOnFrozenBlocks, ::testing::Values("adam", "adamw", "sgd"));

TEST(MakeStepper, UnknownOptimizersAreInputErrorsNamingTheKey) {
  models::ParamStore store;
  store.add("w", {3});
  store.finalize();
  StageSpec stage;
  stage.optimizer = "adamm";
  try {
    stepper_for(stage, store, TrainableEntries(store));
    FAIL() << "adamm accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml: training[0].optimizer: expected one of adam, adamw"),
              std::string::npos) << e.what();
  }
}

}  // namespace pinnkit::solvers
