// KAN initialisation (seeded, efficient-kan style), grid update from samples
// with least-squares refit, the factory and option checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"
#include "models/bspline_fit.hpp"

#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

using testing::points_to_device;
using testing::to_host;

struct KanSetup {
  ParamStore store;
  KanLayer layer;
  KanSetup(int in, int out, const KanOptions& o, std::uint64_t seed) : layer("kan", in, out, o) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(seed);
  }
  /// Output jets (value, d/dx_p for every input p) at points (n x n_in).
  std::vector<double> eval(const std::vector<double>& pts) {
    const int d = layer.in_features(), n = static_cast<int>(pts.size()) / d;
    std::vector<MultiIndex> first;
    for (int p = 0; p < d; ++p) {
      MultiIndex a(d, 0);
      a[p] = 1;
      first.push_back(a);
    }
    const JetSpec spec(d, first);
    View3<Real> in("in", n, spec.channels(), d), out("out", n, spec.channels(), layer.out_features());
    seed_input_jets(ExecSpace(), spec, points_to_device(pts, n, d), in);
    layer.forward(ExecSpace(), spec, in, out);
    return to_host(out);
  }
};

/// Coefficients that make every spline phi_qp a random cubic on the current
/// grids (B-splines of degree >= 3 reproduce cubics exactly on [a, b]).
void set_cubic_splines(KanSetup& s, std::uint64_t seed) {
  const int n_in = s.layer.in_features(), n_out = s.layer.out_features(), K = s.layer.basis_count();
  HostRng rng("cubics", seed);
  std::vector<double> coef(static_cast<std::size_t>(n_out) * n_in * K);
  for (int p = 0; p < n_in; ++p) {
    const SplineGrid g = s.layer.grid(p);
    std::vector<double> xs;
    for (int m = 0; m <= 100; ++m) xs.push_back(g.lo + (g.hi - g.lo) * m / 100.0);
    Eigen::MatrixXd y(xs.size(), n_out);
    for (int q = 0; q < n_out; ++q) {
      const double c[4] = {rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)};
      for (std::size_t m = 0; m < xs.size(); ++m)
        y(m, q) = c[0] + xs[m] * (c[1] + xs[m] * (c[2] + xs[m] * c[3]));
    }
    const Eigen::MatrixXd a = fit_spline_coefficients(g, xs, y);
    for (int q = 0; q < n_out; ++q)
      for (int k = 0; k < K; ++k) coef[(q * n_in + p) * K + k] = a(k, q);
  }
  s.store.block_from_host("kan.coef", coef);
}

std::vector<double> uniform_samples(int m, const std::vector<std::array<double, 2>>& ranges,
                                    std::uint64_t seed) {
  HostRng rng("samples", seed);
  std::vector<double> x;
  for (int i = 0; i < m; ++i)
    for (const auto& r : ranges) x.push_back(rng.uniform(r[0], r[1]));
  return x;
}

void expect_close(const std::vector<double>& a, const std::vector<double>& b, double rel) {
  ASSERT_EQ(a.size(), b.size());
  double scale = 0;
  for (double v : a) scale = std::max(scale, std::abs(v));
  ASSERT_GT(scale, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], rel * scale) << "entry " << i;
}

TEST(KanInit, IsSeededDeterministicAndFollowsEfficientKan) {
  KanOptions o;
  o.grid = 6;
  o.grid_lo = -2.0;
  o.grid_hi = 1.0;
  KanSetup a(4, 3, o, 5), b(4, 3, o, 5), c(4, 3, o, 6);
  EXPECT_EQ(a.store.params_to_host(), b.store.params_to_host());
  EXPECT_NE(a.store.block_to_host("kan.coef"), c.store.block_to_host("kan.coef"));
  EXPECT_NE(a.store.block_to_host("kan.base"), c.store.block_to_host("kan.base"));

  for (double s : a.store.block_to_host("kan.scale")) EXPECT_EQ(s, 1.0);
  const std::vector<double> g = a.store.block_to_host("kan.grid");
  for (int p = 0; p < 4; ++p) {
    EXPECT_EQ(g[2 * p], -2.0);
    EXPECT_EQ(g[2 * p + 1], 1.0);
  }
  // kaiming-uniform with a = sqrt(5): U(-1/sqrt(n_in), 1/sqrt(n_in)).
  double base_max = 0;
  for (double w : a.store.block_to_host("kan.base")) {
    EXPECT_LE(std::abs(w), 0.5);
    base_max = std::max(base_max, std::abs(w));
  }
  EXPECT_GT(base_max, 0.25);

  // The splines interpolate noise of amplitude (0.1 / G) / 2 at the grid points.
  const std::vector<double> coef = a.store.block_to_host("kan.coef");
  const SplineGrid grid = a.layer.grid(0);
  const Eigen::MatrixXd B = spline_design_matrix(grid, grid_points(grid));
  const int K = a.layer.basis_count();
  double vmax = 0;
  for (int e = 0; e < 12; ++e) {
    const Eigen::VectorXd col = Eigen::Map<const Eigen::VectorXd>(coef.data() + e * K, K);
    const Eigen::VectorXd v = B * col;
    vmax = std::max(vmax, v.cwiseAbs().maxCoeff());
  }
  EXPECT_LE(vmax, 0.05 / 6 + 1e-15);
  EXPECT_GT(vmax, 0.02 / 6);
}

TEST(KanGridUpdate, NewGridIsTheSampleRangeAndRepresentableFunctionsArePreserved) {
  for (double margin : {0.0, 0.1}) {
    SCOPED_TRACE(margin);
    KanOptions o;
    o.grid = 5;
    o.grid_margin = margin;
    KanSetup s(2, 3, o, 3);
    testing::randomize_trainable(s.store, 8);
    set_cubic_splines(s, 4);
    const std::vector<double> samples = uniform_samples(300, {{-0.6, 0.8}, {-0.9, 0.3}}, 1);
    const std::vector<double> probes = uniform_samples(50, {{-0.55, 0.75}, {-0.85, 0.25}}, 2);
    const std::vector<double> before = s.eval(samples), probes_before = s.eval(probes);

    if (margin == 0.0) {
      s.layer.update_grid_from_samples(points_to_device(samples, 300, 2));
    } else {  // the jets overload: values of (M, 1, n_in) jets
      s.layer.update_grid_from_samples(ConstJets(testing::jets_to_device(samples, 300, 1, 2)));
    }

    for (int p = 0; p < 2; ++p) {
      double lo = INFINITY, hi = -INFINITY;
      for (int m = 0; m < 300; ++m) {
        lo = std::min(lo, samples[2 * m + p]);
        hi = std::max(hi, samples[2 * m + p]);
      }
      PINNKIT_EXPECT_REAL_EQ(s.layer.grid(p).lo, lo - margin * (hi - lo));
      PINNKIT_EXPECT_REAL_EQ(s.layer.grid(p).hi, hi + margin * (hi - lo));
    }
    // Values and first derivatives, at the samples and between them: 1e-9
    // relative to the largest entry (the fit is exact up to conditioning).
    // In float the evaluation and the coefficients rounded to Real dominate:
    // a few hundred eps at most, tol(1e-13).
    expect_close(s.eval(samples), before, testing::tol_floor(1e-9, 1e-13));
    expect_close(s.eval(probes), probes_before, testing::tol_floor(1e-9, 1e-13));
  }
}

TEST(KanGridUpdate, SamplesSpanningTheOldGridGiveBackTheSameCoefficients) {
  KanOptions o;
  o.grid = 4;
  o.degree = 4;
  KanSetup s(2, 2, o, 3);
  testing::randomize_trainable(s.store, 9);
  std::vector<double> samples = uniform_samples(400, {{-1, 1}, {-1, 1}}, 5);
  samples.insert(samples.end(), {-1.0, 1.0, 1.0, -1.0});  // the exact grid ends
  const std::vector<double> coef = s.store.block_to_host("kan.coef");
  s.layer.update_grid_from_samples(points_to_device(samples, 402, 2));
  EXPECT_DOUBLE_EQ(s.layer.grid(0).lo, -1.0);
  EXPECT_DOUBLE_EQ(s.layer.grid(1).hi, 1.0);
  expect_close(s.store.block_to_host("kan.coef"), coef, 1e-9);
}

TEST(KanGridUpdate, AConstantInputKeepsItsGrid) {
  KanOptions o;
  KanSetup s(2, 1, o, 3);
  std::vector<double> samples = uniform_samples(50, {{0.3, 0.3}, {-0.5, 0.5}}, 6);
  const std::vector<double> coef = s.store.block_to_host("kan.coef");
  s.layer.update_grid_from_samples(points_to_device(samples, 50, 2));
  EXPECT_EQ(s.layer.grid(0).lo, -1.0);
  EXPECT_EQ(s.layer.grid(0).hi, 1.0);
  EXPECT_LT(s.layer.grid(1).hi, 0.5 + 1e-15);
  const std::vector<double> after = s.store.block_to_host("kan.coef");
  const int K = s.layer.basis_count();
  for (int k = 0; k < K; ++k) EXPECT_EQ(after[k], coef[k]);  // input 0 untouched
}

TEST(KanFactory, RegistersNamedBlocksAndMapsTheModelSpec) {
  ModelSpec spec;
  spec.type = "kan";
  spec.grid = 7;
  spec.degree = 2;
  spec.grid_range = {-3.0, 2.0};
  spec.base = false;
  const KanOptions o = kan_options_from(spec);
  EXPECT_EQ(o.grid, 7);
  EXPECT_EQ(o.degree, 2);
  EXPECT_EQ(o.grid_lo, -3.0);
  EXPECT_EQ(o.grid_hi, 2.0);
  EXPECT_FALSE(o.base);

  ParamStore store;
  auto layer = make_kan_layer(3, 4, o, store, "net.kan1");
  EXPECT_EQ(layer->name(), "net.kan1");
  EXPECT_EQ(store.block("net.kan1.coef").shape, (std::vector<int>{4, 3, 9}));
  EXPECT_FALSE(store.has("net.kan1.base"));
  EXPECT_EQ(store.block("net.kan1.scale").shape, (std::vector<int>{4, 3}));
  const ParamBlock& grid = store.block("net.kan1.grid");
  EXPECT_EQ(grid.shape, (std::vector<int>{3, 2}));
  EXPECT_FALSE(grid.trainable);
  EXPECT_EQ(grid.group, "kan_grid");
}

TEST(KanFactory, RejectsInvalidOptionsWithAnInputError) {
  auto make = [](KanOptions o) { KanLayer l("kan", 2, 2, o); };
  KanOptions o;
  o.degree = 0;
  EXPECT_THROW(make(o), InputError);
  o.degree = 6;
  EXPECT_THROW(make(o), InputError);
  o = KanOptions();
  o.grid = 0;
  EXPECT_THROW(make(o), InputError);
  o = KanOptions();
  o.grid_lo = 1.0;
  EXPECT_THROW(make(o), InputError);
  o = KanOptions();
  EXPECT_NO_THROW(make(o));
}

}  // namespace
}  // namespace pinnkit::models
