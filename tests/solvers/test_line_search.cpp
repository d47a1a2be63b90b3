#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "solvers/line_search.hpp"

namespace pinnkit::solvers {

namespace {

// Moré & Thuente's first test function: phi(a) = -a / (a^2 + beta), one
// minimiser at sqrt(beta), flat far out (so big steps must be bracketed).
constexpr double beta = 2.0;
double phi(double a) { return -a / (a * a + beta); }
double dphi(double a) { return (a * a - beta) / ((a * a + beta) * (a * a + beta)); }

LinePoint at(double a) { return {a, phi(a), dphi(a)}; }

}  // namespace

class StrongWolfeFromFirstStep : public ::testing::TestWithParam<double> {};

// Checked with the test's own phi, not the search's verdict.
TEST_P(StrongWolfeFromFirstStep, AcceptsOnlyPointsMeetingBothConditions) {
  const double c1 = 1e-4, c2 = 0.9;
  int calls = 0;
  const auto r = strong_wolfe_search(
      [&](double a) {
        ++calls;
        return at(a);
      },
      at(0), GetParam(), LineSearchSettings{c1, c2});
  ASSERT_TRUE(r.found) << r.failure;
  const double a = r.point.alpha;
  EXPECT_GT(a, 0);
  EXPECT_LE(phi(a), phi(0) + c1 * a * dphi(0));
  EXPECT_LE(std::abs(dphi(a)), c2 * std::abs(dphi(0)));
  EXPECT_DOUBLE_EQ(r.point.value, phi(a));
  EXPECT_EQ(r.evaluations, calls);
}

INSTANTIATE_TEST_SUITE_P(SmallToHuge, StrongWolfeFromFirstStep, ::testing::Values(1e-3, 0.1, 1.0, 10.0, 1e3));

TEST(StrongWolfe, ATightCurvatureConditionFindsTheKnownMinimiser) {
  for (double first : {1e-2, 1.0, 100.0}) {
    const auto r = strong_wolfe_search(at, at(0), first, LineSearchSettings{1e-5, 1e-4});
    ASSERT_TRUE(r.found) << first << ": " << r.failure;
    EXPECT_NEAR(r.point.alpha, std::sqrt(beta), 1e-3) << first;
  }
}

TEST(StrongWolfe, TheAcceptedPointIsTheLastOneEvaluated) {
  double last = -1;
  const auto r = strong_wolfe_search(
      [&](double a) {
        last = a;
        return at(a);
      },
      at(0), 1e3);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.point.alpha, last);
}

TEST(StrongWolfe, BacksOffFromInfiniteValues) {
  // phi = (a - 1)^2 - 1 up to a = 3, +Inf beyond: a huge first step lands in
  // the infinite region and the search must bisect its way back.
  const double inf = std::numeric_limits<double>::infinity();
  auto f = [&](double a) {
    if (a > 3) return LinePoint{a, inf, inf};
    return LinePoint{a, (a - 1) * (a - 1) - 1, 2 * (a - 1)};
  };
  const auto r = strong_wolfe_search(f, f(0), 1e3);
  ASSERT_TRUE(r.found) << r.failure;
  EXPECT_LE(r.point.alpha, 3);
  EXPECT_LE(std::abs(2 * (r.point.alpha - 1)), 0.9 * 2);
}

TEST(StrongWolfe, RefusesAnAscentDirectionWithoutEvaluating) {
  int calls = 0;
  const auto r = strong_wolfe_search(
      [&](double a) {
        ++calls;
        return at(a);
      },
      LinePoint{0, 0, +0.5}, 1.0);
  EXPECT_FALSE(r.found);
  EXPECT_EQ(calls, 0);
  EXPECT_NE(r.failure.find("descent"), std::string::npos) << r.failure;
}

TEST(StrongWolfe, GivesUpWithinTheEvaluationLimitWhenTheSlopeLies) {
  // The claimed slope at 0 is negative but phi only grows: no point can pass.
  LineSearchSettings s;
  s.max_evaluations = 12;
  int calls = 0;
  const auto r = strong_wolfe_search(
      [&](double a) {
        ++calls;
        return LinePoint{a, a, 1.0};
      },
      LinePoint{0, 0, -1.0}, 1.0, s);
  EXPECT_FALSE(r.found);
  EXPECT_LE(calls, 12);
  EXPECT_EQ(r.evaluations, calls);
  EXPECT_FALSE(r.failure.empty());
}

TEST(CubicMinimiser, IsExactForACubicAndAQuadratic) {
  // f = a^3/3 - a has its minimiser at 1; f = (a - 2)^2 at 2.
  auto cubic = [](double a) { return LinePoint{a, a * a * a / 3 - a, a * a - 1}; };
  EXPECT_NEAR(safeguarded_cubic_minimiser(cubic(0), cubic(3)), 1.0, 1e-12);
  EXPECT_NEAR(safeguarded_cubic_minimiser(cubic(3), cubic(0)), 1.0, 1e-12);
  auto quadratic = [](double a) { return LinePoint{a, (a - 2) * (a - 2), 2 * (a - 2)}; };
  EXPECT_NEAR(safeguarded_cubic_minimiser(quadratic(0), quadratic(5)), 2.0, 1e-12);
}

TEST(CubicMinimiser, StaysOffTheEndsAndBisectsWithoutFiniteData) {
  // The quadratic's minimiser (2) lies right of [0, 1]: clamped to 0.9.
  auto quadratic = [](double a) { return LinePoint{a, (a - 2) * (a - 2), 2 * (a - 2)}; };
  EXPECT_NEAR(safeguarded_cubic_minimiser(quadratic(0), quadratic(1)), 0.9, 1e-12);
  const LinePoint bad{4, std::numeric_limits<double>::infinity(), 0};
  EXPECT_DOUBLE_EQ(safeguarded_cubic_minimiser(quadratic(0), bad), 2.0);
}

}  // namespace pinnkit::solvers
