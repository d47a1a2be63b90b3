// KanLayer on jets: values against the defining formula, input derivatives
// carried by the jets vs finite differences (every valid degree/order pair,
// u_xy), input adjoint and parameter gradients vs central differences.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

using testing::check_input_adjoint;
using testing::check_input_derivatives;
using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::jets_to_device;
using testing::layer_differentiable;
using testing::layer_jet_function;
using testing::points_away_from_knots;
using testing::tol;
using testing::randomize_trainable;
using testing::set_grids;
using testing::to_host;

/// A layer with its own store: distinct per-input grids, random O(1) parameters.
struct TestKan {
  ParamStore store;
  KanLayer layer;
  TestKan(int in, int out, const KanOptions& o, std::uint64_t seed)
      : layer("kan", in, out, o) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(seed);
    set_grids(store, layer, -1.0, 1.0, 0.2);  // G = 4: h = 0.5 on every input
    randomize_trainable(store, seed);
  }
};

KanOptions options(int degree, bool base, bool scale) {
  KanOptions o;
  o.grid = 4;
  o.degree = degree;
  o.base = base;
  o.scale = scale;
  return o;
}

std::string describe(int degree, int order, bool base, bool scale) {
  std::ostringstream s;
  s << "degree " << degree << ", jet order " << order << ", base " << base << ", scale " << scale;
  return s.str();
}

/// Input jets (n, C, in_features): values `margin` away from knots, Taylor
/// coefficients U(-1, 1).
std::vector<double> random_jets(const KanLayer& layer, const JetSpec& spec, int n, double margin,
                                std::uint64_t seed) {
  const std::vector<double> x = points_away_from_knots(layer, n, margin, seed);
  HostRng rng("jets", seed);
  const int c = spec.channels(), f = layer.in_features();
  std::vector<double> v(static_cast<std::size_t>(n) * c * f);
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int p = 0; p < f; ++p)
        v[(i * c + ch) * f + p] = ch == 0 ? x[i * f + p] : rng.uniform(-1.0, 1.0);
  return v;
}

double silu(double x) { return x / (1.0 + std::exp(-x)); }
double silu_prime(double x) {
  const double s = 1.0 / (1.0 + std::exp(-x));
  return s + x * s * (1.0 - s);
}

TEST(KanLayer, ValueAndFirstDerivativeMatchTheDefiningFormula) {
  for (bool base : {true, false}) {
    SCOPED_TRACE(base ? "with base" : "without base");
    const int n_in = 3, n_out = 2, n = 7;
    TestKan t(n_in, n_out, options(3, base, true), 17);
    const JetSpec spec(n_in, {{1, 0, 0}});
    const std::vector<double> pts = points_away_from_knots(t.layer, n, 0.0, 5);
    View3<Real> in("in", n, spec.channels(), n_in), out("out", n, spec.channels(), n_out);
    seed_input_jets(ExecSpace(), spec, testing::points_to_device(pts, n, n_in), in);
    t.layer.forward(ExecSpace(), spec, in, out);
    const std::vector<double> y = to_host(out);

    const std::vector<double> A = t.store.block_to_host("kan.coef");
    const std::vector<double> S = t.store.block_to_host("kan.scale");
    const std::vector<double> W = base ? t.store.block_to_host("kan.base") : std::vector<double>();
    const int K = t.layer.basis_count();
    for (int i = 0; i < n; ++i) {
      for (int q = 0; q < n_out; ++q) {
        double value = 0, dx = 0;
        for (int p = 0; p < n_in; ++p) {
          const double x = pts[i * n_in + p];
          const SplineGrid g = t.layer.grid(p);
          const LocalBasis b = eval_local_basis(g, x, 1);
          double spline = 0, spline_dx = 0;
          for (int j = 0; j <= g.degree; ++j) {
            if (!b.exists(j, K)) continue;
            spline += A[(q * n_in + p) * K + b.first + j] * b.d[0][j];
            spline_dx += A[(q * n_in + p) * K + b.first + j] * b.d[1][j];
          }
          value += S[q * n_in + p] * spline + (base ? W[q * n_in + p] * silu(x) : 0.0);
          if (p == 0) dx = S[q * n_in] * spline_dx + (base ? W[q * n_in] * silu_prime(x) : 0.0);
        }
        EXPECT_NEAR(y[(i * 2 + 0) * n_out + q], value, tol(1e-12) * (1 + std::abs(value)));
        EXPECT_NEAR(y[(i * 2 + 1) * n_out + q], dx, tol(1e-12) * (1 + std::abs(dx)));
      }
    }
  }
}

// (a) Jets vs finite differences of the layer function: only where the
// function is smooth enough for the order (degree >= order + 1), with x and
// y 0.1 from every knot (the widest stencil reaches 0.06). Tolerances:
// JetTolerance defaults, relative 1e-6 / 1e-4 / 1e-3 / 1e-3 for orders 1..4.
TEST(KanLayer, JetsCarryTheInputDerivativesOfEveryValidOrder) {
  // In float, round-off (eps / h) needs steps wider than the 0.05-0.1 the
  // points keep from the knots, where the spline is not smooth.
  PINNKIT_REQUIRE_DOUBLE();
  for (bool base : {true, false}) {
    for (int degree = 2; degree <= 5; ++degree) {
      for (int order = 1; order <= degree - 1 && order <= 4; ++order) {
        const bool scale = base || degree % 2 == 0;
        SCOPED_TRACE(describe(degree, order, base, scale));
        TestKan t(2, 2, options(degree, base, scale), 100 + degree);
        const std::vector<double> pts = points_away_from_knots(t.layer, 4, 0.1, 7 + order);
        EXPECT_TRUE(check_input_derivatives(layer_jet_function(t.layer), 2, 2,
                                            derivatives_up_to(order), pts));
      }
    }
  }
}

// (b) Reverse pass vs central differences, for every degree 1..5 and jet
// order 1..4: the jet map is piecewise polynomial in the input jets, so the
// adjoint must match wherever no knot lies within the stencil (x0 0.05 from
// knots, step 1e-3). Tolerance: relative 1e-6 (GradTolerance defaults).
TEST(KanLayer, InputAdjointMatchesCentralDifferences) {
  // In float, round-off (eps / h) needs steps wider than the 0.05-0.1 the
  // points keep from the knots, where the spline is not smooth.
  PINNKIT_REQUIRE_DOUBLE();
  for (bool base : {true, false}) {
    for (int degree = 1; degree <= 5; ++degree) {
      for (int order = 1; order <= 4; ++order) {
        const bool scale = !base || degree % 2 == 1;
        SCOPED_TRACE(describe(degree, order, base, scale));
        TestKan t(3, 2, options(degree, base, scale), 200 + degree);
        const JetSpec spec(2, derivatives_up_to(order));
        const int n = 3;
        EXPECT_TRUE(check_input_adjoint(t.layer, spec, random_jets(t.layer, spec, n, 0.05, order),
                                        n, 31 + order));
      }
    }
  }
}

TEST(KanLayer, ParameterGradientsMatchCentralDifferences) {
  // In float, round-off (eps / h) needs steps wider than the 0.05-0.1 the
  // points keep from the knots, where the spline is not smooth.
  PINNKIT_REQUIRE_DOUBLE();
  for (bool base : {true, false}) {
    for (int degree = 1; degree <= 5; ++degree) {
      for (int order = 1; order <= 4; ++order) {
        const bool scale = base || degree % 2 == 1;
        SCOPED_TRACE(describe(degree, order, base, scale));
        TestKan t(3, 2, options(degree, base, scale), 300 + degree);
        const JetSpec spec(2, derivatives_up_to(order));
        const int n = 3;
        View3<Real> in = jets_to_device(random_jets(t.layer, spec, n, 0.05, 40 + order), n,
                                        spec.channels(), 3);
        EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in),
                                            50 + order));
      }
    }
  }
}

TEST(KanLayer, BackwardWithoutInputAdjointGivesTheSameParameterGradient) {
  TestKan t(3, 2, options(4, true, true), 9);
  const JetSpec spec(2, derivatives_up_to(3));
  const int n = 5, c = spec.channels();
  View3<Real> in = jets_to_device(random_jets(t.layer, spec, n, 0.0, 3), n, c, 3);
  View3<Real> out("out", n, c, 2), out_adj("out_adj", n, c, 2), in_adj("in_adj", n, c, 3);
  Kokkos::deep_copy(out_adj, 0.37);
  t.layer.forward(ExecSpace(), spec, in, out);
  t.store.zero_grads();
  t.layer.backward(ExecSpace(), spec, out_adj, in_adj);
  const std::vector<double> g_full = t.store.grads_to_host();
  t.store.zero_grads();
  t.layer.backward_params_only(ExecSpace(), spec, out_adj);
  const std::vector<double> g_params = t.store.grads_to_host();
  double norm = 0;
  for (std::size_t i = 0; i < g_full.size(); ++i) {
    EXPECT_DOUBLE_EQ(g_full[i], g_params[i]) << i;
    norm += std::abs(g_full[i]);
  }
  EXPECT_GT(norm, 0.0);
}

TEST(KanLayer, InputsOutsideTheExtendedGridOnlySeeTheBaseBranch) {
  TestKan t(2, 1, options(3, true, true), 23);
  const JetSpec spec(2, {{1, 0}});
  const std::vector<double> pts{-9.0, 7.5};  // far outside both grids
  View3<Real> in("in", 1, spec.channels(), 2), out("out", 1, spec.channels(), 1);
  seed_input_jets(ExecSpace(), spec, testing::points_to_device(pts, 1, 2), in);
  t.layer.forward(ExecSpace(), spec, in, out);
  const std::vector<double> y = to_host(out);
  const std::vector<double> W = t.store.block_to_host("kan.base");
  EXPECT_NEAR(y[0], W[0] * silu(-9.0) + W[1] * silu(7.5), tol(1e-12));
  EXPECT_NEAR(y[1], W[0] * silu_prime(-9.0), tol(1e-12));
}

}  // namespace
}  // namespace pinnkit::models
