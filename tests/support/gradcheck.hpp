#pragma once
/// \brief Central finite-difference checks shared by the layer and network
/// tests (dense, activations, KAN, ...), all in double precision on the host.
///
/// Three checks:
///  - check_input_derivatives: the derivatives a network's output jets carry
///    (u_x, u_xx, u_xy, u_xxxx, ...) vs tensor-product central differences of
///    the network's value at nearby points;
///  - check_param_gradient / check_jet_loss_gradient: store.grads() after a
///    backward pass vs central differences of a loss over every parameter;
///  - check_input_adjoint: a layer's input adjoint vs central differences over
///    every entry of its input jets.
/// Every helper returns an AssertionResult naming the first failing entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/jet_spec.hpp"
#include "core/kokkos.hpp"
#include "core/rng.hpp"
#include "models/layer.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"

/// Finite-difference checks need double precision: skip the test otherwise
/// (a float build still runs every other test).
#define PINNKIT_REQUIRE_DOUBLE()                                                   \
  do {                                                                             \
    if (sizeof(::pinnkit::Real) < sizeof(double))                                  \
      GTEST_SKIP() << "finite-difference checks need Real = double";               \
  } while (0)

namespace pinnkit::testing {

// ---- host <-> device ---------------------------------------------------------

inline View2<Real> points_to_device(const std::vector<double>& pts, int n, int d) {
  View2<Real> v("pinnkit::testing::points", n, d);
  auto h = Kokkos::create_mirror_view(v);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) h(i, j) = static_cast<Real>(pts[i * d + j]);
  Kokkos::deep_copy(v, h);
  return v;
}

inline View3<Real> jets_to_device(const std::vector<double>& values, int n, int c, int f) {
  View3<Real> v("pinnkit::testing::jets", n, c, f);
  auto h = Kokkos::create_mirror_view(v);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < c; ++k)
      for (int j = 0; j < f; ++j) h(i, k, j) = static_cast<Real>(values[(i * c + k) * f + j]);
  Kokkos::deep_copy(v, h);
  return v;
}

template <class ViewType>
std::vector<double> to_host(const ViewType& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  std::vector<double> out(h.span());
  for (std::size_t i = 0; i < h.span(); ++i) out[i] = static_cast<double>(h.data()[i]);
  return out;
}

/// n values uniform in [lo, hi), seeded.
inline std::vector<double> random_values(std::size_t n, double lo, double hi,
                                         std::uint64_t seed) {
  HostRng rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = rng.uniform(lo, hi);
  return v;
}

// ---- finite differences --------------------------------------------------------

using ScalarFunction = std::function<double(const std::vector<double>&)>;

/// Fourth-order accurate central stencil for the k-th derivative (k = 1..4):
/// offsets (in steps) and weights; divide by h^k.
inline void central_stencil(int k, std::vector<int>& offsets, std::vector<double>& weights) {
  switch (k) {
    case 1:
      offsets = {-2, -1, 1, 2};
      weights = {1. / 12, -8. / 12, 8. / 12, -1. / 12};
      break;
    case 2:
      offsets = {-2, -1, 0, 1, 2};
      weights = {-1. / 12, 16. / 12, -30. / 12, 16. / 12, -1. / 12};
      break;
    case 3:
      offsets = {-3, -2, -1, 1, 2, 3};
      weights = {1. / 8, -1., 13. / 8, -13. / 8, 1., -1. / 8};
      break;
    case 4:
      offsets = {-3, -2, -1, 0, 1, 2, 3};
      weights = {-1. / 6, 2., -13. / 2, 28. / 3, -13. / 2, 2., -1. / 6};
      break;
    default:
      offsets = {0};
      weights = {1.};
  }
}

/// Step for a k-th derivative: balances the O(h^4) truncation error against
/// the eps / h^k round-off (double): errors ~1e-12, 1e-9, 1e-8, 1e-7 relative
/// for O(1) smooth functions.
inline double default_fd_step(int k) {
  static const double steps[5] = {0.0, 1e-3, 2e-3, 1e-2, 2e-2};
  return steps[std::min(std::max(k, 0), 4)];
}

/// D^alpha f(x) by nested (tensor-product) central differences, one stencil
/// per axis of order alpha_i with step default_fd_step(alpha_i) * scale.
inline double fd_derivative(const ScalarFunction& f, const std::vector<double>& x,
                            const MultiIndex& alpha, double scale = 1.0) {
  std::vector<int> axes;
  for (int i = 0; i < static_cast<int>(alpha.size()); ++i)
    if (alpha[i] > 0) axes.push_back(i);
  std::vector<std::vector<int>> offs(axes.size());
  std::vector<std::vector<double>> wts(axes.size());
  std::vector<double> h(axes.size());
  double denom = 1.0;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    central_stencil(alpha[axes[a]], offs[a], wts[a]);
    h[a] = default_fd_step(alpha[axes[a]]) * scale;
    denom *= std::pow(h[a], alpha[axes[a]]);
  }
  double sum = 0.0;
  std::vector<std::size_t> idx(axes.size(), 0);
  while (true) {
    std::vector<double> xp = x;
    double w = 1.0;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      xp[axes[a]] += offs[a][idx[a]] * h[a];
      w *= wts[a][idx[a]];
    }
    sum += w * f(xp);
    std::size_t a = 0;
    while (a < axes.size() && ++idx[a] == offs[a].size()) idx[a++] = 0;
    if (a == axes.size()) break;
  }
  return sum / denom;
}

/// |a - b| <= rel * max(|a|, |b|, floor).
inline bool close_rel(double a, double b, double rel, double floor) {
  return std::isfinite(a) && std::isfinite(b) &&
         std::abs(a - b) <= rel * std::max({std::abs(a), std::abs(b), floor});
}

// ---- input derivatives carried by jets -----------------------------------------

/// The map under test: points (N x d, row-major, host) -> output jets
/// (N, C, m) under `spec`, flattened row-major on the host.
using JetFunction = std::function<std::vector<double>(
    const JetSpec& spec, const std::vector<double>& points, int n_points)>;

/// Relative tolerance per derivative order (index 0 = value) and the floor
/// under the denominator (derivatives near 0 are compared absolutely). The
/// defaults sit ~100x above the stencil errors of default_fd_step for O(1)
/// derivatives and far below the size of a missing Faa di Bruno term.
struct JetTolerance {
  double rel[5] = {1e-12, 1e-6, 1e-4, 1e-3, 1e-3};
  double floor = 1e-1;
};

/// For every point, output and derivative: the jet's value of D^alpha u
/// (JetSpec::recipe) vs fd_derivative of the value-only map; also channel 0
/// of the full spec vs the value-only map (jets must not disturb values).
inline ::testing::AssertionResult check_input_derivatives(
    const JetFunction& map, int dim, int out_dim, const std::vector<MultiIndex>& derivatives,
    const std::vector<double>& points, const JetTolerance& tol = {}) {
  const JetSpec spec(dim, derivatives);
  const JetSpec value_only(dim);
  const int n = static_cast<int>(points.size()) / dim;
  const int c = spec.channels();
  const std::vector<double> jets = map(spec, points, n);
  if (jets.size() != static_cast<std::size_t>(n) * c * out_dim)
    return ::testing::AssertionFailure() << "jet function returned " << jets.size()
                                         << " entries, expected " << n * c * out_dim;
  for (int p = 0; p < n; ++p) {
    const std::vector<double> x(points.begin() + p * dim, points.begin() + (p + 1) * dim);
    for (int q = 0; q < out_dim; ++q) {
      const ScalarFunction u = [&](const std::vector<double>& y) {
        return map(value_only, y, 1)[q];
      };
      for (const MultiIndex& alpha : spec.derivatives()) {
        int order = 0;
        for (int a : alpha) order += a;
        const DerivativeRecipe r = spec.recipe(alpha);
        const double from_jets =
            r.combine([&](int ch) { return static_cast<Real>(jets[(p * c + ch) * out_dim + q]); });
        const double fd = order == 0 ? u(x) : fd_derivative(u, x, alpha);
        if (!close_rel(from_jets, fd, tol.rel[order], tol.floor)) {
          std::ostringstream s;
          for (int a : alpha) s << a << " ";
          return ::testing::AssertionFailure()
                 << "point " << p << ", output " << q << ", derivative {" << s.str()
                 << "}: jets " << from_jets << " vs finite differences " << fd
                 << " (rel tol " << tol.rel[order] << ", " << spec.describe() << ")";
        }
      }
    }
  }
  return ::testing::AssertionSuccess();
}

/// JetFunction of a layer whose inputs are the coordinates (in_features == dim):
/// seeds input jets from the points and runs forward.
inline JetFunction layer_jet_function(models::Layer& layer) {
  return [&layer](const JetSpec& spec, const std::vector<double>& pts, int n) {
    const int d = spec.input_dim();
    View3<Real> in("pinnkit::testing::in", n, spec.channels(), d);
    View3<Real> out("pinnkit::testing::out", n, spec.channels(), layer.out_features());
    seed_input_jets(ExecSpace(), spec, points_to_device(pts, n, d), in);
    layer.forward(ExecSpace(), spec, in, out);
    return to_host(out);
  };
}

/// JetFunction of a whole network (points in, output jets out).
inline JetFunction model_jet_function(models::Model& model) {
  return [&model](const JetSpec& spec, const std::vector<double>& pts, int n) {
    return to_host(model.forward(spec, points_to_device(pts, n, spec.input_dim())));
  };
}

// ---- parameter gradients and input adjoints --------------------------------------

/// L = sum_i w_i y_i^2 over all entries of a flat jet batch, w_i ~ U(-1, 1)
/// seeded: every channel, point and output enters with its own weight.
class WeightedSquareLoss {
 public:
  WeightedSquareLoss(std::size_t size, std::uint64_t seed)
      : w_(random_values(size, -1.0, 1.0, seed)) {}
  double value(const std::vector<double>& y) const {
    double s = 0.0;
    for (std::size_t i = 0; i < w_.size(); ++i) s += w_[i] * y[i] * y[i];
    return s;
  }
  std::vector<double> adjoint(const std::vector<double>& y) const {
    std::vector<double> g(w_.size());
    for (std::size_t i = 0; i < w_.size(); ++i) g[i] = 2.0 * w_[i] * y[i];
    return g;
  }

 private:
  std::vector<double> w_;
};

/// Gradient tolerance: |g - fd| <= rel * max(|g|, |fd|, floor_frac * max_i |g_i|).
struct GradTolerance {
  double rel = 1e-6;
  double floor_frac = 1e-3;
  double step = 1e-3;  ///< fourth-order stencil: truncation ~h^4, round-off ~eps/h
};

/// Zeroes store.grads(), runs `accumulate` (forward + backward of the loss)
/// and compares every trainable entry with central differences of `loss`.
inline ::testing::AssertionResult check_param_gradient(models::ParamStore& store,
                                                       const std::function<double()>& loss,
                                                       const std::function<void()>& accumulate,
                                                       const GradTolerance& tol = {}) {
  store.zero_grads();
  accumulate();
  const std::vector<double> g = store.grads_to_host();
  std::vector<double> p = store.params_to_host();
  double gmax = 0.0;
  for (double x : g) gmax = std::max(gmax, std::abs(x));
  for (const auto& b : store.blocks()) {
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i) {
      if (!b.trainable) continue;
      const double p0 = p[i];
      double f[4];
      const double offs[4] = {-2, -1, 1, 2};
      for (int s = 0; s < 4; ++s) {
        p[i] = p0 + offs[s] * tol.step;
        store.params_from_host(p);
        f[s] = loss();
      }
      p[i] = p0;
      store.params_from_host(p);
      const double fd = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * tol.step);
      if (!close_rel(g[i], fd, tol.rel, tol.floor_frac * gmax))
        return ::testing::AssertionFailure()
               << "block " << b.name << " entry " << i - b.offset << ": gradient " << g[i]
               << " vs finite differences " << fd << " (rel tol " << tol.rel
               << ", max |g| " << gmax << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

/// A network or layer on fixed inputs: forward() returns the output jets
/// (flat, host); backward(adj) runs the reverse pass for that output adjoint,
/// accumulating into the store's gradient.
struct Differentiable {
  std::function<std::vector<double>()> forward;
  std::function<void(const std::vector<double>& out_adj)> backward;
};

/// check_param_gradient for L = WeightedSquareLoss(seed) of the output jets.
inline ::testing::AssertionResult check_jet_loss_gradient(models::ParamStore& store,
                                                          const Differentiable& net,
                                                          std::uint64_t seed,
                                                          const GradTolerance& tol = {}) {
  const WeightedSquareLoss loss(net.forward().size(), seed);
  return check_param_gradient(
      store, [&] { return loss.value(net.forward()); },
      [&] { net.backward(loss.adjoint(net.forward())); }, tol);
}

/// Differentiable of a single layer on fixed input jets (N, C, in_features).
inline Differentiable layer_differentiable(models::Layer& layer, const JetSpec& spec,
                                           View3<Real> in) {
  const int n = static_cast<int>(in.extent(0)), c = spec.channels();
  View3<Real> out("pinnkit::testing::out", n, c, layer.out_features());
  View3<Real> in_adj("pinnkit::testing::in_adj", n, c, layer.in_features());
  Differentiable d;
  d.forward = [&layer, spec, in, out] {
    layer.forward(ExecSpace(), spec, in, out);
    return to_host(out);
  };
  d.backward = [&layer, spec, out, in_adj, n, c](const std::vector<double>& adj) {
    layer.backward(ExecSpace(), spec, jets_to_device(adj, n, c, layer.out_features()), in_adj);
  };
  return d;
}

/// Differentiable of a network on fixed points (N x in_dim, host row-major).
inline Differentiable model_differentiable(models::Model& model, const JetSpec& spec,
                                           const std::vector<double>& points) {
  const int n = static_cast<int>(points.size()) / model.in_dim();
  const View2<Real> pts = points_to_device(points, n, model.in_dim());
  Differentiable d;
  d.forward = [&model, spec, pts] { return to_host(model.forward(spec, pts)); };
  d.backward = [&model, spec, n](const std::vector<double>& adj) {
    model.backward(spec, jets_to_device(adj, n, spec.channels(), model.out_dim()));
  };
  return d;
}

/// A layer's input adjoint for L = WeightedSquareLoss(seed) of its output vs
/// central differences over every entry of the input jets `in_host` (N, C, in_features).
inline ::testing::AssertionResult check_input_adjoint(models::Layer& layer, const JetSpec& spec,
                                                      std::vector<double> in_host, int n,
                                                      std::uint64_t seed,
                                                      const GradTolerance& tol = {}) {
  const int c = spec.channels(), fi = layer.in_features(), fo = layer.out_features();
  View3<Real> out("pinnkit::testing::out", n, c, fo);
  View3<Real> in_adj("pinnkit::testing::in_adj", n, c, fi);
  const WeightedSquareLoss loss(static_cast<std::size_t>(n) * c * fo, seed);
  auto run = [&](const std::vector<double>& x) {
    layer.forward(ExecSpace(), spec, jets_to_device(x, n, c, fi), out);
    return to_host(out);
  };
  auto y = run(in_host);
  layer.backward(ExecSpace(), spec, jets_to_device(loss.adjoint(y), n, c, fo), in_adj);
  const std::vector<double> g = to_host(in_adj);
  double gmax = 0.0;
  for (double x : g) gmax = std::max(gmax, std::abs(x));
  for (std::size_t i = 0; i < in_host.size(); ++i) {
    const double x0 = in_host[i];
    double f[4];
    const double offs[4] = {-2, -1, 1, 2};
    for (int s = 0; s < 4; ++s) {
      in_host[i] = x0 + offs[s] * tol.step;
      f[s] = loss.value(run(in_host));
    }
    in_host[i] = x0;
    const double fd = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * tol.step);
    if (!close_rel(g[i], fd, tol.rel, tol.floor_frac * gmax))
      return ::testing::AssertionFailure()
             << "layer " << layer.name() << " input adjoint entry (n, c, f) = (" << i / (c * fi)
             << ", " << (i / fi) % c << ", " << i % fi << "): " << g[i]
             << " vs finite differences " << fd << " (rel tol " << tol.rel << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace pinnkit::testing
