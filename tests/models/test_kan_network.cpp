// Two KAN layers in a stack (2 -> 3 -> 1): the second layer sees jets with
// nonzero higher coefficients (z2..z4), which a first layer never does, so
// every Faa di Bruno term is exercised. Input derivatives vs finite
// differences of the network, parameter gradients of a jet loss vs central
// differences, with and without the base branch.
#include <gtest/gtest.h>

#include <sstream>

#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"

namespace pinnkit::models {
namespace {

using testing::check_input_derivatives;
using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::Differentiable;
using testing::jets_to_device;
using testing::knot_distance;
using testing::point_away_from_knots;
using testing::points_to_device;
using testing::to_host;

KanOptions net_options(int degree, bool base) {
  KanOptions o;
  o.grid = 4;
  o.degree = degree;
  o.base = base;
  return o;
}

class KanNet {
 public:
  KanNet(int degree, bool base, std::uint64_t seed)
      : first_("kan0", 2, 3, net_options(degree, base)), second_("kan1", 3, 1, net_options(degree, base)) {
    first_.register_params(store_);
    second_.register_params(store_);
    store_.finalize();
    first_.initialize_params(seed);
    second_.initialize_params(seed);
    testing::set_grids(store_, first_, -1.0, 1.0, 0.3);
    testing::set_grids(store_, second_, -3.0, 3.0, 0.5);  // h = 1.5: room for hidden values
    testing::randomize_trainable(store_, seed, 0.7);
  }

  ParamStore& store() { return store_; }

  /// Output jets (N, C, 1) for points (N x 2) under `spec`.
  std::vector<double> run(const JetSpec& spec, const std::vector<double>& pts, int n) {
    return to_host(forward(spec, seed(spec, pts, n)));
  }

  /// Hidden values and their x / y derivatives at one point.
  std::vector<double> hidden_first_order(const std::vector<double>& x) {
    const JetSpec spec(2, {{1, 0}, {0, 1}});
    View3<Real> hidden("hidden", 1, spec.channels(), 3);
    first_.forward(ExecSpace(), spec, seed(spec, x, 1), hidden);
    return to_host(hidden);
  }

  /// Points (n x 2) whose inputs lie 0.1 from the first layer's knots and
  /// whose hidden values stay clear of the second layer's knots under every
  /// finite-difference stencil (widest: +-0.06 along one axis) and parameter
  /// perturbation: distance > 1.5 * 0.06 * max(|h_x|, |h_y|) + 0.05.
  std::vector<double> smooth_points(int n, std::uint64_t seed_value) {
    HostRng rng("net_points", seed_value);
    std::vector<double> pts;
    for (int tries = 0; tries < 2000 && static_cast<int>(pts.size()) < 2 * n; ++tries) {
      const std::vector<double> x{point_away_from_knots(first_.grid(0), rng, 0.1),
                                  point_away_from_knots(first_.grid(1), rng, 0.1)};
      const std::vector<double> h = hidden_first_order(x);  // (1, 3, 3): value, d/dx, d/dy
      bool ok = true;
      for (int f = 0; f < 3 && ok; ++f) {
        const double slope = std::max(std::abs(h[3 + f]), std::abs(h[6 + f]));
        ok = knot_distance(second_.grid(f), h[f]) > 1.5 * 0.06 * slope + 0.05;
      }
      if (ok) pts.insert(pts.end(), x.begin(), x.end());
    }
    EXPECT_EQ(static_cast<int>(pts.size()), 2 * n) << "not enough smooth points";
    return pts;
  }

  /// The network on fixed input jets, for parameter gradient checks.
  Differentiable differentiable(const JetSpec& spec, View3<Real> in) {
    const int n = static_cast<int>(in.extent(0)), c = spec.channels();
    View3<Real> hidden("hidden", n, c, 3), out("out", n, c, 1), hidden_adj("hidden_adj", n, c, 3);
    Differentiable d;
    d.forward = [this, spec, in, hidden, out] {
      first_.forward(ExecSpace(), spec, in, hidden);
      second_.forward(ExecSpace(), spec, hidden, out);
      return to_host(out);
    };
    d.backward = [this, spec, hidden_adj, n, c](const std::vector<double>& adj) {
      second_.backward(ExecSpace(), spec, jets_to_device(adj, n, c, 1), hidden_adj);
      first_.backward_params_only(ExecSpace(), spec, hidden_adj);
    };
    return d;
  }

  static View3<Real> seed(const JetSpec& spec, const std::vector<double>& pts, int n) {
    View3<Real> in("in", n, spec.channels(), 2);
    seed_input_jets(ExecSpace(), spec, points_to_device(pts, n, 2), in);
    return in;
  }

 private:
  View3<Real> forward(const JetSpec& spec, View3<Real> in) {
    const int n = static_cast<int>(in.extent(0));
    View3<Real> hidden("hidden", n, spec.channels(), 3), out("out", n, spec.channels(), 1);
    first_.forward(ExecSpace(), spec, in, hidden);
    second_.forward(ExecSpace(), spec, hidden, out);
    return out;
  }

  ParamStore store_;
  KanLayer first_;
  KanLayer second_;
};

std::string describe(int degree, int order, bool base) {
  std::ostringstream s;
  s << "degree " << degree << ", jet order " << order << ", base " << base;
  return s.str();
}

// Valid combinations only (degree >= order + 1); JetTolerance defaults:
// relative 1e-6 / 1e-4 / 1e-3 / 1e-3 for orders 1..4, u_xy included from order 2.
TEST(KanNetwork, JetsCarryTheInputDerivativesOfTheStack) {
  // In float, round-off (eps / h) needs steps wider than the 0.05-0.1 the
  // points keep from the knots, where the spline is not smooth.
  PINNKIT_REQUIRE_DOUBLE();
  const int cases[][2] = {{2, 1}, {3, 2}, {4, 3}, {5, 4}};
  for (bool base : {true, false}) {
    for (const auto& c : cases) {
      SCOPED_TRACE(describe(c[0], c[1], base));
      KanNet net(c[0], base, 400 + c[0]);
      const std::vector<double> pts = net.smooth_points(3, 60 + c[1]);
      EXPECT_TRUE(check_input_derivatives(
          [&net](const JetSpec& spec, const std::vector<double>& p, int n) {
            return net.run(spec, p, n);
          },
          2, 1, derivatives_up_to(c[1]), pts));
    }
  }
}

// Every trainable entry of both layers (coef, base, scale); GradTolerance
// defaults: relative 1e-6, step 1e-3.
TEST(KanNetwork, ParameterGradientsOfAJetLossMatchCentralDifferences) {
  // In float, round-off (eps / h) needs steps wider than the 0.05-0.1 the
  // points keep from the knots, where the spline is not smooth.
  PINNKIT_REQUIRE_DOUBLE();
  for (bool base : {true, false}) {
    for (int order = 1; order <= 4; ++order) {
      const int degree = order + 1;
      SCOPED_TRACE(describe(degree, order, base));
      KanNet net(degree, base, 500 + order);
      const JetSpec spec(2, derivatives_up_to(order));
      const int n = 3;
      View3<Real> in = KanNet::seed(spec, net.smooth_points(n, 70 + order), n);
      EXPECT_TRUE(check_jet_loss_gradient(net.store(), net.differentiable(spec, in), 80 + order));
    }
  }
}

}  // namespace
}  // namespace pinnkit::models
