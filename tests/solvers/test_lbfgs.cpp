#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "solvers/lbfgs.hpp"
#include "solvers/lbfgs_linalg.hpp"

#include "support/fp_traps.hpp"
#include "support/gradcheck.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

using HostFunction = std::function<double(const std::vector<double>& x, std::vector<double>& g)>;

std::vector<double> to_host(const View1<const Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

View1<Real> to_device(const std::vector<double>& v) {
  View1<Real> d("x", v.size());
  auto h = Kokkos::create_mirror_view(d);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(d, h);
  return d;
}

/// A host function as an Oracle on device vectors, counting its calls.
struct CountingOracle {
  HostFunction f;
  int calls = 0;
  Oracle oracle() {
    return [this](const View1<const Real>& x, const View1<Real>& grad) {
      ++calls;
      std::vector<double> g(x.extent(0));
      const double value = f(to_host(x), g);
      Kokkos::deep_copy(grad, to_device(g));
      return value;
    };
  }
};

/// Extended Rosenbrock (Moré, Garbow & Hillstrom no. 21): independent pairs
/// 100 (x_2i+1 - x_2i^2)^2 + (1 - x_2i)^2, minimum 0 at (1, ..., 1).
double rosenbrock(const std::vector<double>& x, std::vector<double>& g) {
  double f = 0;
  for (std::size_t i = 0; i + 1 < x.size(); i += 2) {
    const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] = -400 * a * x[i] - 2 * b;
    g[i + 1] = 200 * a;
  }
  return f;
}

std::vector<double> standard_start(int n) {
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = i % 2 == 0 ? -1.2 : 1.0;
  return x;
}

LbfgsSettings tight(int history) {
  LbfgsSettings s;
  s.history = history;
  s.gradient_tolerance = 1e-11;
  s.loss_change_tolerance = 0;  // only the gradient decides
  return s;
}

/// Runs to a stop or `max_iterations`; returns the iterates x_0, x_1, ...
std::vector<std::vector<double>> minimise(Lbfgs& lbfgs, const std::vector<double>& x0, int max_iterations) {
  const ExecSpace exec;
  std::vector<std::vector<double>> path;
  lbfgs.start(exec, to_device(x0));
  path.push_back(to_host(lbfgs.x()));
  while (lbfgs.status() == LbfgsStatus::running && lbfgs.iterations() < max_iterations) {
    lbfgs.iterate(exec);
    if (lbfgs.status() != LbfgsStatus::line_search_failed) path.push_back(to_host(lbfgs.x()));
  }
  return path;
}

}  // namespace

class LbfgsRosenbrock : public ::testing::TestWithParam<int> {};

TEST_P(LbfgsRosenbrock, ReachesTheMinimumTo1e8FromTheStandardStart) {
  PINNKIT_REQUIRE_DOUBLE();
  const int n = GetParam();
  CountingOracle f{rosenbrock};
  Lbfgs lbfgs(n, tight(10), f.oracle());
  const auto path = minimise(lbfgs, standard_start(n), 200);
  EXPECT_EQ(lbfgs.status(), LbfgsStatus::gradient_small) << to_string(lbfgs.status());
  EXPECT_LE(lbfgs.iterations(), 60);  // BFGS-type methods need about 35 on n = 2
  for (double xi : path.back()) EXPECT_NEAR(xi, 1.0, 1e-8);
  EXPECT_LT(lbfgs.value(), 1e-16);
  EXPECT_EQ(lbfgs.evaluations(), f.calls);
  EXPECT_LT(f.calls, 4 * lbfgs.iterations());  // the unit step is accepted most of the time
}

INSTANTIATE_TEST_SUITE_P(TwoAndTen, LbfgsRosenbrock, ::testing::Values(2, 10));

// Independent check of every accepted step s = x_k+1 - x_k (the step length
// cancels from both conditions): f(x_k+1) <= f(x_k) + c1 g_k.s and
// |g_k+1.s| <= c2 |g_k.s|.
TEST(Lbfgs, EveryAcceptedStepMeetsTheStrongWolfeConditions) {
  const int n = 10;
  CountingOracle f{rosenbrock};
  Lbfgs lbfgs(n, tight(5), f.oracle());
  const auto path = minimise(lbfgs, standard_start(n), 200);
  ASSERT_GT(path.size(), 10u);
  const double c1 = 1e-4, c2 = 0.9;
  std::vector<double> g0(n), g1(n);
  for (std::size_t k = 0; k + 1 < path.size(); ++k) {
    const double f0 = rosenbrock(path[k], g0), f1 = rosenbrock(path[k + 1], g1);
    double g0s = 0, g1s = 0;
    for (int i = 0; i < n; ++i) {
      const double s = path[k + 1][i] - path[k][i];
      g0s += g0[i] * s;
      g1s += g1[i] * s;
    }
    EXPECT_LT(g0s, 0) << "step " << k << " is not a descent step";
    EXPECT_LE(f1, f0 + c1 * g0s) << "step " << k;
    EXPECT_LE(std::abs(g1s), c2 * std::abs(g0s) * (1 + 1e-12)) << "step " << k;
  }
  EXPECT_LE(lbfgs.stored_pairs(), 5);
}

// With a full memory and exact line searches L-BFGS is BFGS, which ends on a
// quadratic in at most n steps (plus rounding); a tight c2 makes the
// searches exact up to the cubic interpolation, which is exact here.
TEST(Lbfgs, FullMemoryEndsOnAnSpdQuadraticInAboutNSteps) {
  PINNKIT_REQUIRE_DOUBLE();
  const int n = 10;
  // f = 1/2 x'Ax - b'x with A = diag(1..n) + 0.5 (ones ones'), SPD, condition ~ 30.
  auto quadratic = [n](const std::vector<double>& x, std::vector<double>& g) {
    double sum = 0;
    for (double xi : x) sum += xi;
    double f = 0;
    for (int i = 0; i < n; ++i) {
      g[i] = (i + 1) * x[i] + 0.5 * sum - 1.0;
      f += 0.5 * x[i] * (g[i] + 1.0) - x[i];
    }
    return f;
  };
  for (double c2 : {1e-6, 0.9}) {
    CountingOracle f{quadratic};
    LbfgsSettings s = tight(n);
    // f rounds at ~1e-17, so gradients below ~1e-8 are out of a Wolfe
    // search's reach; exact searches (tiny c2) get further by luck of the cubic.
    s.gradient_tolerance = c2 < 1e-3 ? 1e-9 : 1e-7;
    s.line_search.c2 = c2;
    s.line_search.c1 = std::min(1e-4, c2 / 2);
    Lbfgs lbfgs(n, s, f.oracle());
    minimise(lbfgs, std::vector<double>(n, 0.0), 100);
    EXPECT_EQ(lbfgs.status(), LbfgsStatus::gradient_small) << c2;
    // Exact searches: n + 1; Wolfe searches with c2 = 0.9 lose a few steps.
    EXPECT_LE(lbfgs.iterations(), c2 < 1e-3 ? n + 1 : 2 * n) << "c2 " << c2;
  }
}

TEST(Lbfgs, AFailedLineSearchLeavesTheIterateWhereItWas) {
  // The oracle returns minus the gradient: every search direction climbs.
  CountingOracle f{[](const std::vector<double>& x, std::vector<double>& g) {
    const double value = rosenbrock(x, g);
    for (double& gi : g) gi = -gi;
    return value;
  }};
  Lbfgs lbfgs(2, tight(5), f.oracle());
  const ExecSpace exec;
  const std::vector<double> x0{-1.2, 1.0};
  lbfgs.start(exec, to_device(x0));
  const auto it = lbfgs.iterate(exec);
  EXPECT_EQ(it.status, LbfgsStatus::line_search_failed);
  EXPECT_EQ(lbfgs.status(), LbfgsStatus::line_search_failed);
  EXPECT_EQ(it.step, 0);
  EXPECT_EQ(to_host(lbfgs.x()), (std::vector<double>{Real(-1.2), Real(1.0)}));  // x0 in Real
  EXPECT_EQ(it.evaluations, f.calls - 1);
  EXPECT_FALSE(it.message.empty());
}

TEST(Lbfgs, AStalledLossStopsWhenTheGradientCannotDecide) {
  // f = 1e6 + |x|^2 / 2: the first step lowers f by < 1, a relative 1e-6.
  CountingOracle f{[](const std::vector<double>& x, std::vector<double>& g) {
    g = x;
    return 1e6 + 0.5 * (x[0] * x[0] + x[1] * x[1]);
  }};
  LbfgsSettings s;
  s.gradient_tolerance = 1e-300;  // unreachable in a few steps
  s.loss_change_tolerance = 1e-3;
  Lbfgs lbfgs(2, s, f.oracle());
  minimise(lbfgs, {1.0, 1.0}, 100);
  EXPECT_EQ(lbfgs.status(), LbfgsStatus::loss_stalled);
  EXPECT_EQ(lbfgs.iterations(), 1);
  s.loss_change_tolerance = 1e-9;  // now the same step is progress
  Lbfgs patient(2, s, f.oracle());
  const ExecSpace exec;
  patient.start(exec, to_device({1.0, 1.0}));
  patient.iterate(exec);
  EXPECT_EQ(patient.status(), LbfgsStatus::running);
}

TEST(Lbfgs, ANonFiniteLossAtTheStartIsReportedAsSuch) {
  testing::FpTrapsOff traps_off;
  CountingOracle f{[](const std::vector<double>&, std::vector<double>& g) {
    for (double& gi : g) gi = 0;
    return std::numeric_limits<double>::quiet_NaN();
  }};
  Lbfgs lbfgs(3, LbfgsSettings{}, f.oracle());
  const auto it = lbfgs.start(ExecSpace(), to_device({1, 2, 3}));
  EXPECT_EQ(it.status, LbfgsStatus::not_finite);
  EXPECT_EQ(it.evaluations, 1);
}

TEST(Lbfgs, TheFirstStepIsAtMostLrLong) {
  // f = 1/2 |x|^2 from x0 = (30, 40): |g| = 50, so the first trial moves by lr.
  std::vector<std::vector<double>> trials;
  CountingOracle f{[&](const std::vector<double>& x, std::vector<double>& g) {
    trials.push_back(x);
    g = x;
    return 0.5 * (x[0] * x[0] + x[1] * x[1]);
  }};
  LbfgsSettings s;
  s.lr = 0.5;
  Lbfgs lbfgs(2, s, f.oracle());
  const ExecSpace exec;
  lbfgs.start(exec, to_device({30, 40}));
  lbfgs.iterate(exec);
  ASSERT_GE(trials.size(), 2u);
  EXPECT_NEAR(std::hypot(trials[1][0] - 30, trials[1][1] - 40), 0.5, testing::tol(1e-12));
}

// The two-loop recursion uses the fused kernels in place of axpy then dot
// (scale then dot). The updated vector is the same bit for bit; the dot may
// be summed in another order (the compiler vectorizes the two loops
// differently), so it agrees to rounding: a few ulps of sum |z_i y_i|.
TEST(LbfgsLinalg, FusedUpdateAndDotEqualTheSeparateKernels) {
  const ExecSpace exec;
  const int n = 1001;  // odd: the reduction's partition is not a power of two
  std::vector<double> x(n), y(n), z(n);
  for (int i = 0; i < n; ++i) {
    x[i] = std::sin(0.37 * i) * 1e3;
    y[i] = std::cos(1.3 * i) / (1 + i);
    z[i] = std::sin(2.1 * i + 0.5) * 1e-3;
  }
  const View1<Real> xd = to_device(x), zd = to_device(z);
  const View1<Real> y_fused = to_device(y), y_apart = to_device(y);
  const double fused = lbfgs_linalg::axpy_dot(exec, -0.731, xd, y_fused, zd);
  lbfgs_linalg::axpy(exec, -0.731, xd, y_apart);
  const double apart = lbfgs_linalg::dot(exec, zd, y_apart);
  auto bound = [&](const View1<Real>& a, const View1<Real>& b) {
    double s = 0;
    const auto ha = to_host(a), hb = to_host(b);
    for (int i = 0; i < n; ++i) s += std::abs(ha[i] * hb[i]);
    return 8 * n * std::numeric_limits<double>::epsilon() * s;
  };
  EXPECT_NEAR(fused, apart, bound(zd, y_apart));
  EXPECT_NE(fused, 0.0);
  EXPECT_EQ(to_host(y_fused), to_host(y_apart));
  const double scaled_fused = lbfgs_linalg::scale_dot(exec, 3.7e-2, y_fused, xd);
  lbfgs_linalg::scale(exec, 3.7e-2, y_apart);
  EXPECT_NEAR(scaled_fused, lbfgs_linalg::dot(exec, xd, y_apart), bound(xd, y_apart));
  EXPECT_EQ(to_host(y_fused), to_host(y_apart));
}

}  // namespace pinnkit::solvers
