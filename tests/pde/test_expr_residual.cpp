#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "pde/expr_residual.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {

View2<Real> device_matrix(int rows, int cols, const std::vector<double>& v) {
  View2<Real> m("pinnkit::test::matrix", rows, cols);
  auto h = Kokkos::create_mirror_view(m);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) h(i, j) = v[i * cols + j];
  Kokkos::deep_copy(m, h);
  return m;
}

std::vector<double> uniform(int count, double lo, double hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(count);
  for (auto& x : v) x = dist(rng);
  return v;
}

int column_of(const Residual& residual, int output, const MultiIndex& alpha) {
  const auto& reads = residual.reads();
  for (std::size_t k = 0; k < reads.size(); ++k)
    if (reads[k].output == output && reads[k].alpha == alpha) return static_cast<int>(k);
  ADD_FAILURE() << "read not found";
  return 0;
}

struct Evaluated {
  HostView1<Real> r;
  HostView2<Real> dr;
};

Evaluated run(const ExprResidual& residual, const std::vector<double>& points,
              const std::vector<double>& values, int n, int dim) {
  const int reads = static_cast<int>(residual.reads().size());
  View1<Real> r("pinnkit::test::r", n);
  View2<Real> dr("pinnkit::test::dr", n, reads);
  residual.evaluate(ExecSpace(), device_matrix(n, dim, points), device_matrix(n, reads, values), r,
                    dr);
  return {Kokkos::create_mirror_view_and_copy(HostSpace(), r),
          Kokkos::create_mirror_view_and_copy(HostSpace(), dr)};
}

/// dr from the kernel against central differences of the host evaluation
/// over each read value, and r against the host evaluation, on `n` points.
void expect_partials_match_finite_differences(const ExprResidual& residual, int dim, int n,
                                              double lo, double hi) {
  const int reads = static_cast<int>(residual.reads().size());
  const auto points = uniform(n * dim, -1, 1, 7);
  const auto values = uniform(n * reads, lo, hi, 11);
  const Evaluated got = run(residual, points, values, n, dim);
  for (int i = 0; i < n; ++i) {
    const std::vector<Real> x(points.begin() + i * dim, points.begin() + (i + 1) * dim);
    std::vector<Real> e(values.begin() + i * reads, values.begin() + (i + 1) * reads);
    const double r = evaluate_on_host(residual.program(), x, e);
    EXPECT_NEAR(got.r(i), r, testing::tol(1e-13) * (1 + std::abs(r))) << residual.expression() << " point " << i;
    // Central differences in Real: at h = 1e-6 the double stencil is off by
    // ~eps/h ~ 2e-10 (1e-9 with margin), far below the 1e-6 asked. In float
    // the step and that error scale as eps^(1/3) and eps^(2/3)
    // (support/precision.hpp): h ~ 8e-4, error ~7e-4 times |r| (round-off
    // of r itself, which reaches ~100 here), so float also scales by |r|.
    const double fd_rel = std::max(1e-6, testing::fd_tol(1e-9, 2, 1));
    for (int k = 0; k < reads; ++k) {
      const double h = testing::fd_step(1e-6, 2, 1), saved = e[k];
      e[k] = saved + h;
      const double plus = evaluate_on_host(residual.program(), x, e);
      e[k] = saved - h;
      const double minus = evaluate_on_host(residual.program(), x, e);
      e[k] = saved;
      const double fd = (plus - minus) / (2 * h);
      EXPECT_NEAR(got.dr(i, k), fd, fd_rel * (1 + std::abs(fd) + (testing::real_is_double ? 0.0 : std::abs(r))))
          << residual.expression() << " point " << i << " read " << k;
    }
  }
}

}  // namespace

// Burgers, r = u_t + u u_x - nu u_xx: r and its partials (u_x, u, 1, -nu) in
// closed form on known values.
TEST(ExprResidual, BurgersResidualAndPartialsOnKnownValues) {
  const double nu = 0.01 / M_PI;
  ExprResidual burgers({"u_t + u*u_x - nu*u_xx", "burgers"}, {{"x", "t"}, {"u"}, {{"nu", nu}}});
  ASSERT_EQ(burgers.reads().size(), 4u);
  const int cu = column_of(burgers, 0, {0, 0}), cx = column_of(burgers, 0, {1, 0}),
            ct = column_of(burgers, 0, {0, 1}), cxx = column_of(burgers, 0, {2, 0});
  const int n = 3;
  const std::vector<double> u{0.5, -1.2, 2.0}, ux{-0.3, 0.8, 1.5}, ut{1.1, 0.0, -0.4},
      uxx{3.0, -7.0, 0.25};
  std::vector<double> values(n * 4);
  for (int i = 0; i < n; ++i) {
    values[i * 4 + cu] = u[i];
    values[i * 4 + cx] = ux[i];
    values[i * 4 + ct] = ut[i];
    values[i * 4 + cxx] = uxx[i];
  }
  const Evaluated got = run(burgers, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, values, n, 2);
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(got.r(i), ut[i] + u[i] * ux[i] - nu * uxx[i], testing::tol(1e-15));
    PINNKIT_EXPECT_REAL_EQ(got.dr(i, cu), ux[i]);
    PINNKIT_EXPECT_REAL_EQ(got.dr(i, cx), u[i]);
    PINNKIT_EXPECT_REAL_EQ(got.dr(i, ct), 1.0);
    PINNKIT_EXPECT_REAL_EQ(got.dr(i, cxx), -nu);
  }
}

// One and two reads take the narrowest duals (1 and 2 tangents).
TEST(ExprResidual, BoundaryAndAdvectionResidualsWithFewReads) {
  const ExprResidual boundary({"u - sin(pi*x)*t", "boundary"}, {{"x", "t"}, {"u"}, {}});
  ASSERT_EQ(boundary.reads().size(), 1u);
  const Evaluated b = run(boundary, {0.25, 2.0, -0.5, 1.0}, {3.0, -1.0}, 2, 2);
  EXPECT_NEAR(b.r(0), 3.0 - std::sin(M_PI * 0.25) * 2.0, testing::tol(1e-15));
  EXPECT_NEAR(b.r(1), -1.0 - std::sin(-M_PI * 0.5) * 1.0, testing::tol(1e-15));
  EXPECT_EQ(b.dr(0, 0), 1.0);
  EXPECT_EQ(b.dr(1, 0), 1.0);

  const ExprResidual advection({"u_t + c*u_x^2", "advection"}, {{"x", "t"}, {"u"}, {{"c", 1.5}}});
  ASSERT_EQ(advection.reads().size(), 2u);
  const int cx = column_of(advection, 0, {1, 0}), ct = column_of(advection, 0, {0, 1});
  std::vector<double> values(2);
  values[cx] = -0.4;
  values[ct] = 0.9;
  const Evaluated a = run(advection, {0.1, 0.2}, values, 1, 2);
  EXPECT_NEAR(a.r(0), 0.9 + 1.5 * 0.16, testing::tol(1e-15));
  EXPECT_NEAR(a.dr(0, cx), 2 * 1.5 * -0.4, testing::tol(1e-15));
  EXPECT_EQ(a.dr(0, ct), 1.0);
}

TEST(ExprResidual, DualPartialsMatchFiniteDifferencesForEveryFunction) {
  const ExprSymbols s{{"x", "y"}, {"u"}, {{"k", 1.7}}};
  // Values in [0.2, 1.4]: log, sqrt and real powers stay defined, and the
  // kinks of abs/min/max are away from the sampled values almost surely.
  const char* const expressions[] = {
      "sin(u)*u_xx + exp(u_x*u_y)/(1 + u^2) + tanh(u_yy) - sqrt(1 + u_xy^2)",
      "cos(u_x) - tan(u_y/2) + log(u) * sinh(u_xx) / cosh(u_yy) + sech(u_xy)^3",
      "abs(u - 0.8)*x + min(u_x, u_y) - max(u_xx, k*u_yy) + u^-2",
      "u^0.5 + u_x^u_y + u_xx^x + (x + 2)^u_yy - k^u",  // real and variable powers
      "-u^2*u_x + u_y^3/u - (u_xx - y)^4",
  };
  for (const char* text : expressions) {
    const ExprResidual residual({text, "test"}, s);
    expect_partials_match_finite_differences(residual, 2, 20, 0.2, 1.4);
  }
}

// Twelve reads use the largest dual (16 tangents): incompressible-like
// two-output system in (x, y, t).
TEST(ExprResidual, ManyReadsUseTheWideDualAndStayExact) {
  const ExprSymbols s{{"x", "y", "t"}, {"u", "v"}, {{"nu", 0.05}}};
  const ExprResidual residual({"(u_t + u*u_x + v*u_y - nu*(u_xx + u_yy))^2 + "
                               "v_t + u*v_x + v*v_y - nu*(v_xx + v_yy) + sin(x*y*t)",
                               "test"},
                              s);
  ASSERT_EQ(residual.reads().size(), 12u);
  expect_partials_match_finite_differences(residual, 3, 30, -2, 2);
}

TEST(ExprResidual, KernelEqualsHostReferenceOnManyPoints) {
  const int n = 2000;
  const auto points = uniform(2 * n, -1, 1, 3);
  const ExprField field({"sin(pi*x)*exp(-t) + x^2*t - sqrt(1 + x^2) + max(x, t)/e", "exact"},
                        {"x", "t"});
  View1<Real> out("pinnkit::test::out", n);
  View2<Real> out2("pinnkit::test::out2", n, 3);
  const auto device_points = device_matrix(n, 2, points);
  field.evaluate_field(ExecSpace(), device_points, out);
  field.evaluate_field(ExecSpace(), device_points, out2, 1);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), out);
  auto h2 = Kokkos::create_mirror_view_and_copy(HostSpace(), out2);
  for (int i = 0; i < n; ++i) {
    const double x = points[2 * i], t = points[2 * i + 1];
    const double expected =
        std::sin(M_PI * x) * std::exp(-t) + x * x * t - std::sqrt(1 + x * x) + std::max(x, t) / M_E;
    ASSERT_NEAR(h(i), expected, testing::tol(1e-14)) << i;
    ASSERT_EQ(h2(i, 1), h(i)) << i;
    ASSERT_EQ(h2(i, 0), 0.0) << i;  // other columns untouched
  }
}

TEST(ExprResidual, ResidualKernelEqualsHostReferenceOnManyPoints) {
  const int n = 1000;
  const ExprResidual residual({"u_xx + u_yy + 2*pi^2*sin(pi*x)*sin(pi*y)*u", "poisson"},
                              {{"x", "y"}, {"u"}, {}});
  const auto points = uniform(2 * n, -1, 1, 5);
  const auto values = uniform(3 * n, -3, 3, 9);
  const Evaluated got = run(residual, points, values, n, 2);
  const int cu = column_of(residual, 0, {0, 0}), cxx = column_of(residual, 0, {2, 0}),
            cyy = column_of(residual, 0, {0, 2});
  for (int i = 0; i < n; ++i) {
    const double x = points[2 * i], y = points[2 * i + 1];
    const double source = 2 * M_PI * M_PI * std::sin(M_PI * x) * std::sin(M_PI * y);
    const double* v = &values[3 * i];
    ASSERT_NEAR(got.r(i), v[cxx] + v[cyy] + source * v[cu], testing::tol(1e-13)) << i;
    ASSERT_NEAR(got.dr(i, cu), source, testing::tol(1e-14)) << i;
    ASSERT_EQ(got.dr(i, cxx), 1.0) << i;
    ASSERT_EQ(got.dr(i, cyy), 1.0) << i;
  }
}

}  // namespace pinnkit::pde
