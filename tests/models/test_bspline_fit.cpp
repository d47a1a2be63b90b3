// Least-squares spline fits: polynomial reproduction, interpolation of
// underdetermined data (the KAN initialisation case).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "models/bspline_fit.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

double spline_at(const SplineGrid& g, const Eigen::VectorXd& coef, double x) {
  const LocalBasis b = eval_local_basis(g, x, 0);
  double s = 0;
  for (int j = 0; j <= g.degree; ++j)
    if (b.exists(j, g.basis_count())) s += coef(b.first + j) * b.d[0][j];
  return s;
}

TEST(SplineFit, ReproducesPolynomialsOfTheSplineDegreeInsideTheGrid) {
  std::mt19937 rng(21);
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g{-1.5, 0.5, 7, k};
    std::uniform_real_distribution<double> dist(g.lo, g.hi);
    auto poly = [k](double x) {
      double p = 0, xp = 1;
      for (int e = 0; e <= k; ++e, xp *= x) p += (0.3 + 0.2 * e) * (e % 2 ? -1 : 1) * xp;
      return p;
    };
    std::vector<double> xs;
    for (int m = 0; m < 200; ++m) xs.push_back(dist(rng));
    Eigen::MatrixXd y(xs.size(), 1);
    for (std::size_t m = 0; m < xs.size(); ++m) y(m, 0) = poly(xs[m]);
    const Eigen::MatrixXd c = fit_spline_coefficients(g, xs, y);
    ASSERT_EQ(c.rows(), g.basis_count());
    for (int t = 0; t < 50; ++t) {
      const double x = dist(rng);
      EXPECT_NEAR(spline_at(g, c.col(0), x), poly(x), testing::tol_floor(1e-10, 1e-13)) << "degree " << k << " x " << x;
    }
  }
}

TEST(SplineFit, UnderdeterminedDataIsInterpolatedWithTheMinimumNormSolution) {
  const SplineGrid g{-1, 1, 5, 3};
  const std::vector<double> xs = grid_points(g);
  ASSERT_EQ(xs.size(), 6u);
  EXPECT_DOUBLE_EQ(xs.front(), -1.0);
  EXPECT_DOUBLE_EQ(xs.back(), 1.0);
  Eigen::MatrixXd y(xs.size(), 2);
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> noise(-0.01, 0.01);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = noise(rng);
  const Eigen::MatrixXd c = fit_spline_coefficients(g, xs, y);
  const Eigen::MatrixXd B = spline_design_matrix(g, xs);
  EXPECT_LT((B * c - y).norm(), 1e-12);
  // Minimum norm: adding a null-space vector of B only makes c longer.
  Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(B);
  const Eigen::MatrixXd null_proj = Eigen::MatrixXd::Identity(8, 8) - cod.pseudoInverse() * B;
  const Eigen::VectorXd v = null_proj * Eigen::VectorXd::LinSpaced(8, 1, 8);
  ASSERT_GT(v.norm(), 1e-3);
  EXPECT_LT(std::abs(c.col(0).dot(v)), 1e-12);
}

}  // namespace
}  // namespace pinnkit::models
