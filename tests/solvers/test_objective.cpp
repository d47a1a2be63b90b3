#include <gtest/gtest.h>

#include "models/gradcheck.hpp"
#include "solver_fixture.hpp"
#include "solvers/objective.hpp"

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

}  // namespace pinnkit::solvers
