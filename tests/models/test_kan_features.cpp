// KAN feature kernels (local support: only the k+1 nonzero bases are
// evaluated) against a dense reference that evaluates all K bases and their
// derivatives with the textbook Cox-de Boor recursion, on points at every
// knot, just inside / outside the grid and the extended grid, and far outside
// (extrapolation: every basis is 0, only the SiLU column remains).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/kan_features.hpp"
#include "models/kan_taylor.hpp"

#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

using testing::jets_to_device;
using testing::to_host;

// Textbook B_{i,p}(x) on the knots of g: half-open supports [t_i, t_{i+1}).
double cox_de_boor(const SplineGrid& g, int i, int p, double x) {
  if (p == 0) return (g.knot(i) <= x && x < g.knot(i + 1)) ? 1.0 : 0.0;
  const double ti = g.knot(i), tip = g.knot(i + p), ti1 = g.knot(i + 1), tip1 = g.knot(i + p + 1);
  return (x - ti) / (tip - ti) * cox_de_boor(g, i, p - 1, x) +
         (tip1 - x) / (tip1 - ti1) * cox_de_boor(g, i + 1, p - 1, x);
}

// D^m B_{i,p}(x) by the textbook derivative recursion
// B'_{i,p} = p/(t_{i+p}-t_i) B_{i,p-1} - p/(t_{i+p+1}-t_{i+1}) B_{i+1,p-1}
// (independent of the uniform-knot binomial identity the kernels use).
double basis_derivative(const SplineGrid& g, int i, int p, int m, double x) {
  if (m == 0) return cox_de_boor(g, i, p, x);
  if (m > p) return 0.0;
  const double a = p / (g.knot(i + p) - g.knot(i));
  const double b = p / (g.knot(i + p + 1) - g.knot(i + 1));
  return a * basis_derivative(g, i, p - 1, m - 1, x) - b * basis_derivative(g, i + 1, p - 1, m - 1, x);
}

// f_j^(r)(x0) for every column j of one input: the K bases, then SiLU.
std::vector<std::vector<double>> dense_derivatives(const SplineGrid& g, bool base, double x0) {
  const int K = g.basis_count();
  std::vector<std::vector<double>> f(K + (base ? 1 : 0), std::vector<double>(kMaxSplineOrder + 1));
  for (int j = 0; j < K; ++j)
    for (int r = 0; r <= kMaxSplineOrder; ++r) f[j][r] = basis_derivative(g, j, g.degree, r, x0);
  if (base) {
    Real silu[kMaxSplineOrder + 1] = {};
    silu_derivatives(x0, silu);
    for (int r = 0; r <= kMaxSplineOrder; ++r) f[K][r] = silu[r];
  }
  return f;
}

struct Case {
  int degree;
  int inputs = 2;
  int intervals = 4;
  bool base;
  int order;
  KanFeatureShape shape() const { return KanFeatureShape{inputs, intervals, degree, base}; }
  // Dyadic grids [-1, 1] + p/4: knots and (x - lo)/h are exact, so at a knot
  // both evaluations pick the interval to its right and agree at every order.
  SplineGrid grid(int p) const { return SplineGrid{-1.0 + 0.25 * p, 1.0 + 0.25 * p, intervals, degree}; }
  std::string describe() const {
    std::ostringstream s;
    s << "degree " << degree << ", base " << base << ", jet order " << order;
    return s.str();
  }
};

// The test points of input p: every knot of the extended grid, both sides of
// the grid ends and of the extended-grid ends, far outside, and random ones.
std::vector<double> test_points(const SplineGrid& g, std::uint64_t seed, int random_count) {
  // 1e-9 is below half an ulp of float at these knots: at least tol(1e-15).
  const double eps = testing::tol_floor(1e-9, 1e-15);
  const double t_first = g.knot(0), t_last = g.knot(g.intervals + 2 * g.degree);
  std::vector<double> xs;
  for (int j = 0; j <= g.intervals + 2 * g.degree; ++j) xs.push_back(g.knot(j));
  for (double e : {double(g.lo), double(g.hi), t_first, t_last}) {
    xs.push_back(e - eps);
    xs.push_back(e + eps);
  }
  xs.push_back(t_first - 5.0);
  xs.push_back(t_last + 7.0);
  HostRng rng("features", seed);
  for (int i = 0; i < random_count; ++i) xs.push_back(rng.uniform(t_first - 0.3, t_last + 0.3));
  return xs;
}

// Input jets (N, C, n_in): values from test_points, Taylor coefficients U(-1, 1).
std::vector<double> make_jets(const Case& c, const JetSpec& spec, int& N) {
  std::vector<std::vector<double>> xs;
  for (int p = 0; p < c.inputs; ++p) xs.push_back(test_points(c.grid(p), 5 + p, 12));
  N = static_cast<int>(xs[0].size());
  const int C = spec.channels();
  HostRng rng("taylor", 17 + c.degree);
  std::vector<double> v(static_cast<std::size_t>(N) * C * c.inputs);
  for (int n = 0; n < N; ++n)
    for (int ch = 0; ch < C; ++ch)
      for (int p = 0; p < c.inputs; ++p)
        v[(n * C + ch) * c.inputs + p] =  // as the kernels see them: in Real
            static_cast<Real>(ch == 0 ? xs[p][n] : rng.uniform(-1.0, 1.0));
  return v;
}

View2<Real> grid_to_device(const Case& c) {
  View2<Real> g("pinnkit::tests::KanFeatures::grid", c.inputs, 2);
  auto h = Kokkos::create_mirror_view(g);
  for (int p = 0; p < c.inputs; ++p) {
    h(p, 0) = c.grid(p).lo;
    h(p, 1) = c.grid(p).hi;
  }
  Kokkos::deep_copy(g, h);
  return g;
}

// Dense reference of kan_features_forward: phi (N*C, n_in*F), row-major.
std::vector<double> reference_features(const Case& c, const JetSpec& spec,
                                       const std::vector<double>& jets, int N) {
  const int C = spec.channels(), n_in = c.inputs, F = c.shape().per_input();
  const JetLayout layout = spec.layout();
  std::vector<double> phi(static_cast<std::size_t>(N) * C * n_in * F);
  auto at = [&](int row, int col) -> double& { return phi[static_cast<std::size_t>(row) * n_in * F + col]; };
  auto jet = [&](int n, int ch, int p) { return jets[(n * C + ch) * n_in + p]; };
  for (int n = 0; n < N; ++n)
    for (int p = 0; p < n_in; ++p) {
      const auto f = dense_derivatives(c.grid(p), c.base, jet(n, 0, p));
      for (int j = 0; j < F; ++j) at(n * C, p * F + j) = f[j][0];
      for (int d = 0; d < layout.directions; ++d) {
        const int fc = layout.first_channel[d];
        Real z[kMaxTaylorOrder + 1] = {};
        for (int m = 1; m <= layout.order[d]; ++m) z[m] = jet(n, fc + m - 1, p);
        for (int k = 1; k <= layout.order[d]; ++k) {
          Real P[kMaxTaylorOrder + 1] = {};
          taylor_partitions(k, z, P);
          for (int j = 0; j < F; ++j) {
            double a = 0;
            for (int r = 1; r <= k; ++r) a += P[r] * f[j][r];
            at(n * C + fc + k - 1, p * F + j) = a;
          }
        }
      }
    }
  return phi;
}

// Dense reference of kan_features_adjoint: in_adj (N, C, n_in).
std::vector<double> reference_adjoint(const Case& c, const JetSpec& spec,
                                      const std::vector<double>& jets,
                                      const std::vector<double>& phi_adj, int N) {
  const int C = spec.channels(), n_in = c.inputs, F = c.shape().per_input();
  const JetLayout layout = spec.layout();
  std::vector<double> in_adj(jets.size(), 0.0);
  auto adj = [&](int row, int col) { return phi_adj[static_cast<std::size_t>(row) * n_in * F + col]; };
  for (int n = 0; n < N; ++n)
    for (int p = 0; p < n_in; ++p) {
      const auto f = dense_derivatives(c.grid(p), c.base, jets[(n * C) * n_in + p]);
      auto contract = [&](int row, int r) {
        double e = 0;
        for (int j = 0; j < F; ++j) e += adj(row, p * F + j) * f[j][r];
        return e;
      };
      double dx0 = contract(n * C, 1);
      for (int d = 0; d < layout.directions; ++d) {
        const int fc = layout.first_channel[d];
        Real z[kMaxTaylorOrder + 1] = {}, dz[kMaxTaylorOrder + 1] = {};
        for (int m = 1; m <= layout.order[d]; ++m) z[m] = jets[(n * C + fc + m - 1) * n_in + p];
        for (int k = 1; k <= layout.order[d]; ++k) {
          const int row = n * C + fc + k - 1;
          Real e[kMaxTaylorOrder + 2] = {}, P[kMaxTaylorOrder + 1] = {};
          for (int r = 1; r <= k + 1; ++r) e[r] = contract(row, r);
          taylor_partitions(k, z, P);
          for (int r = 1; r <= k; ++r) dx0 += P[r] * e[r + 1];
          taylor_partitions_adjoint(k, z, e, dz);
        }
        for (int m = 1; m <= layout.order[d]; ++m) in_adj[(n * C + fc + m - 1) * n_in + p] = dz[m];
      }
      in_adj[(n * C) * n_in + p] = dx0;
    }
  return in_adj;
}

::testing::AssertionResult all_close(const std::vector<double>& got, const std::vector<double>& want,
                                     double rel) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "size mismatch";
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(std::abs(got[i] - want[i]) <= rel * (1.0 + std::abs(want[i]))))
      return ::testing::AssertionFailure()
             << "entry " << i << ": got " << got[i] << ", want " << want[i] << " (rel " << rel << ")";
  }
  return ::testing::AssertionSuccess();
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (int degree = 1; degree <= kMaxSplineDegree; ++degree)
    for (int order = 1; order <= kMaxTaylorOrder; ++order)
      cases.push_back(Case{degree, 2, 4, (degree + order) % 2 == 0, order});
  cases.push_back(Case{3, 3, 8, true, 2});  // a finer cubic grid (h = 1/4 stays dyadic)
  return cases;
}

/// kan_features_forward of case c's jets under `spec` against the dense
/// reference; every entry of phi must be overwritten.
void expect_forward_matches_dense(const Case& c, const JetSpec& spec) {
  int N = 0;
  const std::vector<double> jets = make_jets(c, spec, N);
  const int C = spec.channels(), F = c.shape().per_input();
  View2<Real> phi("pinnkit::tests::KanFeatures::phi", N * C, c.inputs * F);
  Kokkos::deep_copy(phi, Real(12345));
  kan_features_forward(ExecSpace(), spec, c.shape(), grid_to_device(c), jets_to_device(jets, N, C, c.inputs), phi);
  EXPECT_TRUE(all_close(to_host(phi), reference_features(c, spec, jets, N), testing::tol(1e-11)));
}

/// kan_features_adjoint for a random phi adjoint (seeded) against the dense
/// reference; every entry of in_adj must be overwritten.
void expect_adjoint_matches_dense(const Case& c, const JetSpec& spec, std::uint64_t seed) {
  int N = 0;
  const std::vector<double> jets = make_jets(c, spec, N);
  const int C = spec.channels(), F = c.shape().per_input();
  const std::vector<double> phi_adj =
      testing::random_values(static_cast<std::size_t>(N) * C * c.inputs * F, -1.0, 1.0, seed);
  View2<Real> phi_adj_d("pinnkit::tests::KanFeatures::phi_adj", N * C, c.inputs * F);
  {
    auto h = Kokkos::create_mirror_view(phi_adj_d);
    for (std::size_t i = 0; i < phi_adj.size(); ++i) h.data()[i] = phi_adj[i];
    Kokkos::deep_copy(phi_adj_d, h);
  }
  View3<Real> in_adj("pinnkit::tests::KanFeatures::in_adj", N, C, c.inputs);
  Kokkos::deep_copy(in_adj, Real(12345));
  kan_features_adjoint(ExecSpace(), spec, c.shape(), grid_to_device(c), jets_to_device(jets, N, C, c.inputs),
                       phi_adj_d, in_adj);
  EXPECT_TRUE(all_close(to_host(in_adj), reference_adjoint(c, spec, jets, phi_adj, N), testing::tol(1e-11)));
}

TEST(KanFeatures, ForwardMatchesTheDenseEvaluationOfEveryBasis) {
  for (const Case& c : all_cases()) {
    SCOPED_TRACE(c.describe());
    expect_forward_matches_dense(c, JetSpec(2, testing::derivatives_up_to(c.order)));
  }
}

TEST(KanFeatures, AdjointMatchesTheDenseEvaluationOfEveryBasis) {
  for (const Case& c : all_cases()) {
    SCOPED_TRACE(c.describe());
    expect_adjoint_matches_dense(c, JetSpec(2, testing::derivatives_up_to(c.order)), 29);
  }
}

// Extrapolation is unchanged: beyond the extended grid a row holds only the
// SiLU column; every basis column is exactly 0 on every channel.
TEST(KanFeatures, OutsideTheExtendedGridOnlyTheBaseColumnIsNonzero) {
  const Case c{3, 1, 4, true, 2};
  const JetSpec spec(2, testing::derivatives_up_to(c.order));
  const int C = spec.channels(), K = c.shape().basis_count(), F = c.shape().per_input();
  const std::vector<double> xs{c.grid(0).knot(0) - 1e-9, c.grid(0).knot(4 + 6), -40.0, 40.0};
  const int N = static_cast<int>(xs.size());
  std::vector<double> jets(static_cast<std::size_t>(N) * C, 0.5);
  for (int n = 0; n < N; ++n) jets[n * C] = xs[n];
  View2<Real> phi("pinnkit::tests::KanFeatures::phi", N * C, F);
  Kokkos::deep_copy(phi, Real(12345));
  kan_features_forward(ExecSpace(), spec, c.shape(), grid_to_device(c), jets_to_device(jets, N, C, 1),
                       phi);
  const std::vector<double> h = to_host(phi);
  for (int row = 0; row < N * C; ++row) {
    for (int j = 0; j < K; ++j) EXPECT_EQ(h[row * F + j], 0.0) << "row " << row << " basis " << j;
  }
  Real silu[kMaxSplineOrder + 1] = {};
  silu_derivatives(xs[2], silu);
  EXPECT_NEAR(h[(2 * C) * F + K], silu[0], 1e-14);
  EXPECT_NEAR(h[(2 * C + 1) * F + K], silu[1] * 0.5, 1e-14);  // a1 = f' z1, z1 = 0.5
}

// The kernels handle a block of inputs per iteration (kan_features.cpp: 8
// lanes, or 32 for layers of 32 inputs and more); a layer width that is not
// a multiple of the block leaves a partial last block, whose padding lanes
// must neither be stored nor disturb the others. 3, 11, 17: narrow blocks,
// 32: one full wide block, 60: a wide block and a partial one.
TEST(KanFeatures, WidthsThatLeaveAPartialInputBlockMatchTheDenseEvaluation) {
  for (int inputs : {3, 11, 17, 32, 60}) {
    for (const Case& c : {Case{3, inputs, 4, true, 2}, Case{2, inputs, 8, false, 4},
                          Case{1, inputs, 4, true, 1}}) {
      SCOPED_TRACE(c.describe() + ", inputs " + std::to_string(inputs));
      const JetSpec spec(2, testing::derivatives_up_to(c.order));
      expect_forward_matches_dense(c, spec);
      expect_adjoint_matches_dense(c, spec, 31);
    }
  }
}

// The SiLU column uses a branch-free exp (core/fast_math.hpp, tested there)
// so that it vectorises: check the SiLU derivatives built on it against libm.
TEST(KanFeatures, BranchFreeSiluMatchesLibm) {
  for (double x : {-800.0, -40.0, -7.5, -1.0, -1e-3, 0.0, 2e-9, 0.3, 1.0, 6.0, 40.0, 800.0}) {
    SCOPED_TRACE(x);
    const double sigma = 1.0 / (1.0 + std::exp(-x));
    const double s1 = sigma * (1.0 - sigma), s2 = s1 * (1.0 - 2.0 * sigma);
    Real d[kMaxSplineOrder + 1] = {};
    silu_derivatives(x, d);
    EXPECT_NEAR(d[0], x * sigma, testing::tol(1e-15) * (1.0 + std::abs(x * sigma)));
    EXPECT_NEAR(d[1], sigma + x * s1, testing::tol(1e-15) * (1.0 + std::abs(x)));
    EXPECT_NEAR(d[2], 2.0 * s1 + x * s2, testing::tol(1e-14) * (1.0 + std::abs(x)));
  }
}

}  // namespace
}  // namespace pinnkit::models
