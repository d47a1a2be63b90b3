#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "models/make_model.hpp"
#include "pde/custom_problem.hpp"
#include "solvers/objective.hpp"

#include "support/gradcheck.hpp"
#include "support/solver_fixture.hpp"

namespace pinnkit::solvers {

using testing::SmallPinn;

class ObjectiveGradient : public ::testing::TestWithParam<const char*> {};

// The PDE term seeds second-order jet channels and the boundary term the
// value channel: a missing factor in either seed, or in the weights, shows up
// against central differences of the loss over every parameter (rel 1e-6).
TEST_P(ObjectiveGradient, MatchesCentralDifferencesOfTheLoss) {
  PINNKIT_REQUIRE_DOUBLE();
  SmallPinn pinn(GetParam());
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const ExecSpace exec;
  EXPECT_TRUE(testing::check_param_gradient(
      pinn.store, [&] { return objective.value(exec).total; },
      [&] { objective.value_and_grad(exec); }));
}

INSTANTIATE_TEST_SUITE_P(MlpAndKan, ObjectiveGradient, ::testing::Values("mlp", "kan"));

TEST(Objective, TermsAreWeightedMeansOfSquaredResidualsAndSumToTheTotal) {
  SmallPinn pinn;
  const ExecSpace exec;
  Objective unit(pinn.problem, *pinn.model, pinn.store, pinn.sampling, LossSpec{{{"pde", 1.0}, {"boundary", 1.0}}}, 9);
  Objective weighted(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const auto a = unit.value(exec), b = weighted.value(exec);
  EXPECT_NEAR(b.terms.at("pde"), a.terms.at("pde"), 1e-12 * a.terms.at("pde"));
  EXPECT_NEAR(b.terms.at("boundary"), 10 * a.terms.at("boundary"), 1e-12 * b.terms.at("boundary"));
  EXPECT_NEAR(b.total, b.terms.at("pde") + b.terms.at("boundary"), 1e-12 * b.total);
  EXPECT_EQ(unit.point_counts().at("pde"), 16);
  EXPECT_EQ(unit.point_counts().at("boundary"), 8);
}

// value_and_grad writes every output adjoint entry in the same pass that
// sums the squared residuals (no separate zeroing) and reads all term sums
// back once: a stale adjoint would make the second gradient differ from the
// first, and a misplaced term sum would break the agreement with value().
TEST(Objective, RepeatedValueAndGradGivesTheSameLossAndGradientAsBefore) {
  SmallPinn pinn;
  const ExecSpace exec;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const auto plain = objective.value(exec);
  // create_mirror always copies (a mirror *view* would alias host memory).
  const auto g1 = Kokkos::create_mirror(pinn.store.grads());
  const auto g2 = Kokkos::create_mirror(pinn.store.grads());
  const auto first = objective.value_and_grad(exec);
  Kokkos::deep_copy(g1, pinn.store.grads());
  const auto second = objective.value_and_grad(exec);
  Kokkos::deep_copy(g2, pinn.store.grads());
  EXPECT_DOUBLE_EQ(first.total, plain.total);
  EXPECT_DOUBLE_EQ(second.total, plain.total);
  for (const auto& [name, value] : plain.terms) EXPECT_DOUBLE_EQ(first.terms.at(name), value) << name;
  double norm = 0;
  for (std::size_t i = 0; i < g1.extent(0); ++i) {
    EXPECT_EQ(g1(i), g2(i)) << "parameter " << i;
    norm += static_cast<double>(g1(i)) * g1(i);
  }
  EXPECT_GT(norm, 0.0);
}

// Points pass through the network a chunk at a time: the loss is a sum over
// points, so any split (5 does not divide 16 or 8: a short last chunk) gives
// the one-pass loss and gradient up to rounding. A chunk that drops, repeats
// or mis-scales rows, or a per-chunk sum that overwrites instead of adding,
// fails here; the gradient of the split objective is also checked against
// central differences of its loss.
TEST_P(ObjectiveGradient, ChunkedPassesGiveTheOnePassLossAndGradient) {
  SmallPinn pinn(GetParam());
  const ExecSpace exec;
  Objective whole(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  Objective chunked(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  whole.set_chunk_points(1000000);
  chunked.set_chunk_points(5);
  EXPECT_EQ(chunked.chunk_points(JetSpec(2)), 5);
  const auto a = whole.value_and_grad(exec);
  const auto ga = Kokkos::create_mirror(pinn.store.grads());
  Kokkos::deep_copy(ga, pinn.store.grads());
  const auto b = chunked.value_and_grad(exec);
  const auto gb = Kokkos::create_mirror(pinn.store.grads());
  Kokkos::deep_copy(gb, pinn.store.grads());
  const double tol = std::is_same<Real, double>::value ? 1e-12 : 1e-5;
  EXPECT_NEAR(b.total, a.total, tol * a.total);
  for (const auto& [name, value] : a.terms) EXPECT_NEAR(b.terms.at(name), value, tol * a.total) << name;
  EXPECT_NEAR(chunked.value(exec).total, a.total, tol * a.total);
  double scale = 0;
  for (std::size_t i = 0; i < ga.extent(0); ++i) scale = std::max(scale, std::abs(static_cast<double>(ga(i))));
  ASSERT_GT(scale, 0.0);
  for (std::size_t i = 0; i < ga.extent(0); ++i) EXPECT_NEAR(gb(i), ga(i), tol * scale) << "parameter " << i;
  if (std::is_same<Real, double>::value) {
    EXPECT_TRUE(testing::check_param_gradient(
        pinn.store, [&] { return chunked.value(exec).total; }, [&] { chunked.value_and_grad(exec); }));
  }
}

// The automatic chunk is never below 32 points (never 0: no empty loop) and
// holds fewer points when each point carries more jet channels.
TEST(Objective, AutomaticChunkIsAtLeast32PointsAndShrinksWithWiderJets) {
  SmallPinn pinn;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const int value_only = objective.chunk_points(JetSpec(2));
  const int second_order = objective.chunk_points(JetSpec(2, {{2, 0}, {0, 2}}));
  EXPECT_GE(second_order, 32);
  EXPECT_GE(value_only, second_order);
}

TEST(Objective, ResamplingDrawsNewPointsAndChangesTheLoss) {
  SmallPinn pinn;
  const ExecSpace exec;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const double before = objective.value(exec).total;
  objective.resample();
  const double after = objective.value(exec).total;
  EXPECT_NE(before, after);
  EXPECT_EQ(objective.point_counts().at("pde"), 16);
}

namespace {

/// Advection on [0,1] x [0,1], periodic in x: its boundary terms are the
/// two periodic pairs (u and u_x), its initial term a plain one.
pde::ProblemSpec periodic_spec() {
  pde::ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.equations = {"u_t + u_x"};
  s.conditions = {{"periodic", {"x_min", "x_max"}, "0", "", 1, 1}, {"initial", {}, "sin(2*pi*x)", "", 1, 1}};
  return s;
}

struct PeriodicPinn {
  PeriodicPinn() : problem(periodic_spec(), "test") {
    models::ModelSpec spec;
    spec.hidden = {6, 6};
    model = models::make_model(spec, 2, 1, problem.domain().lower(), problem.domain().upper(), store, 3);
    sampling.interior = 8;
    sampling.boundary = 8;
    sampling.initial = 8;
  }
  pde::CustomProblem problem;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  SamplingSpec sampling;
};

}  // namespace

// A pair term's residual u(a) - u(b) seeds the reverse pass at both points
// (+ at a, - at b); dropping either seed or its sign fails here.
TEST(ObjectivePeriodic, PairTermGradientMatchesCentralDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  PeriodicPinn pinn;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling,
                      LossSpec{{{"pde", 0.0}, {"boundary", 3.0}, {"initial", 0.0}}}, 9);
  const ExecSpace exec;
  const auto loss = objective.value(exec);
  EXPECT_GT(loss.terms.at("boundary"), 0.0);
  EXPECT_EQ(loss.terms.count("pde"), 0u);  // weight 0: not evaluated
  EXPECT_TRUE(testing::check_param_gradient(
      pinn.store, [&] { return objective.value(exec).total; }, [&] { objective.value_and_grad(exec); }));
}

// Small chunks split the interior and initial terms but never a pair term,
// whose rows i and i + pairs must meet in one residual.
TEST(ObjectivePeriodic, ChunkedObjectiveKeepsPairsTogether) {
  PINNKIT_REQUIRE_DOUBLE();
  PeriodicPinn pinn;
  const LossSpec loss{{{"pde", 1.0}, {"boundary", 3.0}, {"initial", 1.0}}};
  Objective whole(pinn.problem, *pinn.model, pinn.store, pinn.sampling, loss, 9);
  Objective chunked(pinn.problem, *pinn.model, pinn.store, pinn.sampling, loss, 9);
  whole.set_chunk_points(1000000);
  chunked.set_chunk_points(3);
  const ExecSpace exec;
  const auto a = whole.value(exec), b = chunked.value(exec);
  for (const auto& [name, value] : a.terms) EXPECT_NEAR(b.terms.at(name), value, 1e-12 * a.total) << name;
  EXPECT_TRUE(testing::check_param_gradient(
      pinn.store, [&] { return chunked.value(exec).total; }, [&] { chunked.value_and_grad(exec); }));
}

// A network that ignores x is periodic in x: the pair terms vanish exactly
// while the initial term does not. Zeroing the first layer's x column makes
// such a network, so a pairing of the wrong points (or of a point with
// itself, which would vanish always) is told apart by the second half.
TEST(ObjectivePeriodic, PairTermsVanishForANetworkIndependentOfTheAxis) {
  PeriodicPinn pinn;
  const ExecSpace exec;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling,
                      LossSpec{{{"pde", 1.0}, {"boundary", 1.0}, {"initial", 1.0}}}, 9);
  EXPECT_GT(objective.value(exec).terms.at("boundary"), 1e-8);
  const models::ParamBlock* first = nullptr;
  for (const auto& b : pinn.store.blocks())
    if (!first && b.shape.size() == 2 && b.shape[1] == 2) first = &b;
  ASSERT_NE(first, nullptr);
  auto w = pinn.store.params2(first->name);
  auto hw = Kokkos::create_mirror_view_and_copy(HostSpace(), w);
  for (int o = 0; o < first->shape[0]; ++o) hw(o, 0) = 0;
  Kokkos::deep_copy(w, hw);
  const auto loss = objective.value(exec);
  EXPECT_LT(loss.terms.at("boundary"), 1e-24);
  EXPECT_GT(loss.terms.at("initial"), 1e-6);
  EXPECT_EQ(objective.point_counts().at("boundary"), 2 * 2 * 8);  // two pair terms, 8 pairs each
}

}  // namespace pinnkit::solvers
