// B-spline basis: Cox-de Boor reference, partition of unity, derivatives vs
// central differences, the cubic closed form of methods.md, device kernels.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/kokkos.hpp"
#include "models/bspline.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

using testing::fd_step;
using testing::fd_tol;
using testing::tol;
using testing::tol_floor;

// Textbook recursive Cox-de Boor on the knots of `g` (methods.md 2).
double cox_de_boor(const SplineGrid& g, int i, int p, double x) {
  if (p == 0) return (g.knot(i) <= x && x < g.knot(i + 1)) ? 1.0 : 0.0;
  const double ti = g.knot(i), tip = g.knot(i + p), ti1 = g.knot(i + 1), tip1 = g.knot(i + p + 1);
  return (x - ti) / (tip - ti) * cox_de_boor(g, i, p - 1, x) +
         (tip1 - x) / (tip1 - ti1) * cox_de_boor(g, i + 1, p - 1, x);
}

// Value of basis `i` (all K of them) read out of the local evaluation.
double basis_value(const SplineGrid& g, const LocalBasis& b, int i, int order) {
  const int j = i - b.first;
  if (j < 0 || j > g.degree || !b.exists(j, g.basis_count())) return 0.0;
  return b.d[order][j];
}

SplineGrid grid_of(int degree) { return SplineGrid{-0.7, 1.3, 6, degree}; }

// A point of interval `mu` of the extended grid at least 10% of h from its knots.
double point_in_interval(const SplineGrid& g, int mu, std::mt19937& rng) {
  std::uniform_real_distribution<double> frac(0.1, 0.9);
  return g.knot(mu) + frac(rng) * g.step();
}

TEST(BSpline, MatchesTextbookCoxDeBoorOnTheWholeExtendedGrid) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> dist(-1.8, 2.4);  // beyond the extended grid too
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g = grid_of(k);
    for (int trial = 0; trial < 300; ++trial) {
      const double x = dist(rng);
      const LocalBasis b = eval_local_basis(g, x, 0);
      for (int i = 0; i < g.basis_count(); ++i) {
        EXPECT_NEAR(basis_value(g, b, i, 0), cox_de_boor(g, i, k, x), tol(1e-13))
            << "degree " << k << " basis " << i << " x " << x;
      }
    }
  }
}

TEST(BSpline, PartitionOfUnityAndNonnegativeInsideTheGrid) {
  std::mt19937 rng(3);
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g = grid_of(k);
    std::uniform_real_distribution<double> dist(g.lo, g.hi);
    std::vector<double> xs{g.lo, g.hi};
    for (int t = 0; t < 200; ++t) xs.push_back(dist(rng));
    for (double x : xs) {
      const LocalBasis b = eval_local_basis(g, x, 0);
      ASSERT_TRUE(b.inside) << x;
      double sum = 0;
      for (int j = 0; j <= k; ++j) {
        if (!b.exists(j, g.basis_count())) continue;
        EXPECT_GE(b.d[0][j], -tol(1e-15));
        sum += b.d[0][j];
      }
      EXPECT_NEAR(sum, 1.0, tol(1e-13)) << "degree " << k << " x " << x;
    }
  }
}

TEST(BSpline, DerivativesMatchCentralDifferencesAwayFromKnots) {
  // Each order m against central differences of order m-1: on a polynomial
  // piece the O(eps^2) error is tiny and rounding dominates, eps = 1e-5 h.
  // Second-order stencil of a first derivative: step and tolerance scale as
  // eps^(1/3) and eps^(2/3) in float (support/precision.hpp).
  std::mt19937 rng(5);
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g = grid_of(k);
    const double h = g.step(), eps = fd_step(1e-5 * h, 2, 1);
    for (int mu = 0; mu < g.intervals + 2 * k; ++mu) {
      const double x = point_in_interval(g, mu, rng);
      const LocalBasis b = eval_local_basis(g, x, kMaxSplineOrder);
      const LocalBasis bp = eval_local_basis(g, x + eps, kMaxSplineOrder);
      const LocalBasis bm = eval_local_basis(g, x - eps, kMaxSplineOrder);
      ASSERT_EQ(bp.first, b.first);
      ASSERT_EQ(bm.first, b.first);
      for (int m = 1; m <= kMaxSplineOrder; ++m) {
        const double scale = std::pow(h, -m);
        for (int j = 0; j <= k; ++j) {
          const double fd = (bp.d[m - 1][j] - bm.d[m - 1][j]) / (2 * eps);
          EXPECT_NEAR(b.d[m][j], fd, fd_tol(1e-6, 2, 1) * scale)
              << "degree " << k << " order " << m << " interval " << mu << " basis " << j;
          if (m > k) {
            EXPECT_EQ(b.d[m][j], 0.0);  // above the degree: identically 0
          }
        }
      }
    }
  }
}

TEST(BSpline, DerivativesOfThePartitionOfUnitySumToZero) {
  std::mt19937 rng(7);
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g = grid_of(k);
    for (int mu = k; mu < g.intervals + k; ++mu) {  // intervals inside [a, b]
      const double x = point_in_interval(g, mu, rng);
      const LocalBasis b = eval_local_basis(g, x, kMaxSplineOrder);
      for (int m = 1; m <= kMaxSplineOrder; ++m) {
        double sum = 0, mag = 0;
        for (int j = 0; j <= k; ++j) {
          sum += b.d[m][j];
          mag += std::abs(b.d[m][j]);
        }
        if (m <= k) {
          EXPECT_GT(mag, 0.0);
        }
        EXPECT_NEAR(sum, 0.0, tol(1e-12) * std::pow(g.step(), -m)) << "degree " << k << " order " << m;
      }
    }
  }
}

TEST(BSpline, CubicMatchesTheClosedFormOfMethods) {
  const SplineGrid g = grid_of(3);
  const double h = g.step();
  std::mt19937 rng(13);
  std::uniform_real_distribution<double> dist(g.knot(0), g.knot(g.intervals + 6) - 1e-9);
  for (int t = 0; t < 200; ++t) {
    const double x = dist(rng);
    const LocalBasis b = eval_local_basis(g, x, 3);
    const int mu = int(std::floor((x - g.knot(0)) / h));
    const double u = (x - g.knot(mu)) / h;
    ASSERT_EQ(b.first, mu - 3);
    const double v[4] = {std::pow(1 - u, 3), 3 * u * u * u - 6 * u * u + 4,
                         -3 * u * u * u + 3 * u * u + 3 * u + 1, u * u * u};
    const double dv[4] = {-3 * (1 - u) * (1 - u), 9 * u * u - 12 * u, -9 * u * u + 6 * u + 3,
                          3 * u * u};
    const double d2v[4] = {6 * (1 - u), 18 * u - 12, -18 * u + 6, 6 * u};
    const double d3v[4] = {-6, 18, -18, 6};
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR(b.d[0][j], v[j] / 6, tol(1e-13));
      EXPECT_NEAR(b.d[1][j], dv[j] / (6 * h), tol(1e-12));
      EXPECT_NEAR(b.d[2][j], d2v[j] / (6 * h * h), tol(1e-11));
      EXPECT_NEAR(b.d[3][j], d3v[j] / (6 * h * h * h), tol(1e-10));
    }
  }
}

TEST(BSpline, EverythingIsZeroOutsideTheExtendedGrid) {
  // 1e-9 from the end knots; in float 1e-9 is below half an ulp there, so at
  // least tol(1e-15) (a few ulps of Real).
  const double off = tol_floor(1e-9, 1e-15);
  for (int k = 1; k <= kMaxSplineDegree; ++k) {
    const SplineGrid g = grid_of(k);
    for (double x : {g.knot(0) - off, g.knot(g.intervals + 2 * k) + off, g.hi + 10.0, g.lo - 3.0}) {
      const LocalBasis b = eval_local_basis(g, x, kMaxSplineOrder);
      EXPECT_FALSE(b.inside) << x;
      for (int m = 0; m <= kMaxSplineOrder; ++m)
        for (int j = 0; j <= k; ++j) EXPECT_EQ(b.d[m][j], 0.0);
    }
    EXPECT_TRUE(eval_local_basis(g, g.knot(0) + off, 0).inside);
  }
}

TEST(BSpline, DeviceKernelAgreesWithHostEvaluation) {
  const SplineGrid g = grid_of(4);
  const int n = 97;
  View1<Real> xs("pinnkit::tests::BSpline::x", n);
  View2<Real> vals("pinnkit::tests::BSpline::d", n, (kMaxSplineOrder + 1) * (kMaxSplineDegree + 1));
  View1<int> first("pinnkit::tests::BSpline::first", n);
  Kokkos::parallel_for(
      "pinnkit::tests::BSpline::eval", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(int i) {
        xs(i) = Real(-1.6) + Real(3.2) * Real(i) / Real(n - 1);
        const LocalBasis b = eval_local_basis(g, xs(i), kMaxSplineOrder);
        first(i) = b.inside ? b.first : -100;
        for (int m = 0; m <= kMaxSplineOrder; ++m)
          for (int j = 0; j <= kMaxSplineDegree; ++j)
            vals(i, m * (kMaxSplineDegree + 1) + j) = b.d[m][j];
      });
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), xs);
  auto hv = Kokkos::create_mirror_view_and_copy(HostSpace(), vals);
  auto hf = Kokkos::create_mirror_view_and_copy(HostSpace(), first);
  int inside = 0;
  for (int i = 0; i < n; ++i) {
    const LocalBasis b = eval_local_basis(g, hx(i), kMaxSplineOrder);
    EXPECT_EQ(hf(i), b.inside ? b.first : -100);
    inside += b.inside;
    for (int m = 0; m <= kMaxSplineOrder; ++m)
      for (int j = 0; j <= kMaxSplineDegree; ++j)
        EXPECT_NEAR(hv(i, m * (kMaxSplineDegree + 1) + j), b.d[m][j], 1e-12 * std::pow(g.step(), -m));
  }
  EXPECT_GT(inside, n / 2);
}

}  // namespace
}  // namespace pinnkit::models
