#include <gtest/gtest.h>

#include <cmath>

#include "solvers/adam.hpp"
#include "solvers/schedule.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {
HostView1<Real> to_host(const View1<Real>& v) {
  auto h = Kokkos::create_mirror_view(v);
  Kokkos::deep_copy(h, v);
  return h;
}
}  // namespace

TEST(Adam, FirstStepMovesEveryParameterByTheLearningRateAgainstItsGradientSign) {
  const int n = 4;
  View1<Real> p("p", n), g("g", n);
  auto hg = Kokkos::create_mirror_view(g);
  const Real grads[n] = {3.0, -0.5, 1e-3, -20};
  for (int i = 0; i < n; ++i) hg(i) = grads[i];
  Kokkos::deep_copy(g, hg);
  Adam adam(n, AdamSettings{});
  adam.step(p, g, 0.1);
  auto hp = to_host(p);
  // Bias-corrected m/sqrt(v) = sign(g) exactly after one step (eps aside).
  for (int i = 0; i < n; ++i) EXPECT_NEAR(hp(i), -0.1 * (grads[i] > 0 ? 1 : -1), 1e-6) << i;
}

TEST(Adam, MinimisesAnIllConditionedQuadratic) {
  // f(p) = 1/2 sum c_i (p_i - 1)^2 with c spanning 4 orders of magnitude.
  const int n = 5;
  View1<Real> p("p", n), g("g", n);
  const Real c[n] = {1e-2, 1e-1, 1, 10, 100};
  Adam adam(n, AdamSettings{});
  for (int step = 0; step < 3000; ++step) {
    auto hp = to_host(p);
    auto hg = Kokkos::create_mirror_view(g);
    for (int i = 0; i < n; ++i) hg(i) = c[i] * (hp(i) - 1);
    Kokkos::deep_copy(g, hg);
    adam.step(p, g, scheduled_lr({"cosine", 0.9, 1000, 1e-4}, 0.05, step, 3000));
  }
  auto hp = to_host(p);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(hp(i), 1.0, 1e-3) << i;
}

TEST(Adam, WeightDecayIsDecoupledFromTheGradient) {
  View1<Real> p("p", 1), g("g", 1);
  Kokkos::deep_copy(p, 2.0);
  Adam adamw(1, AdamSettings{0.9, 0.999, 1e-8, 0.5});
  adamw.step(p, g, 0.1);  // zero gradient: only the decay acts
  EXPECT_NEAR(to_host(p)(0), 2.0 * (1 - 0.1 * 0.5), testing::tol(1e-12));
}

TEST(Schedule, EachTypeHasItsClosedForm) {
  EXPECT_DOUBLE_EQ(scheduled_lr({"constant", 0.5, 10, 0}, 1e-3, 99, 100), 1e-3);
  EXPECT_NEAR(scheduled_lr({"exponential", 0.5, 10, 0}, 1.0, 15, 100), std::pow(0.5, 1.5), 1e-15);
  EXPECT_DOUBLE_EQ(scheduled_lr({"step", 0.5, 10, 0}, 1.0, 15, 100), 0.5);
  EXPECT_DOUBLE_EQ(scheduled_lr({"cosine", 0.5, 10, 0.1}, 1.0, 0, 101), 1.0);
  EXPECT_NEAR(scheduled_lr({"cosine", 0.5, 10, 0.1}, 1.0, 50, 101), 0.55, 1e-12);
  EXPECT_NEAR(scheduled_lr({"cosine", 0.5, 10, 0.1}, 1.0, 100, 101), 0.1, 1e-12);
}

}  // namespace pinnkit::solvers
