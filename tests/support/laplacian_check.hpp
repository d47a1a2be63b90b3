#pragma once
/// \brief Checks of the collapsed (forward-Laplacian) jet channel of a
/// network against the uncollapsed jets: the channel must equal the sum of
/// the per-axis second coefficients, every other channel must be unchanged,
/// and the reverse pass must give the parameter gradient of the uncollapsed
/// network under the matching output adjoint.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/model.hpp"
#include "models/param_store.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::testing {

/// The uncollapsed spec with the same derivatives: `first` (multi-indices)
/// plus D_i^2 for every axis i in `axes`.
inline JetSpec uncollapsed_spec(int dim, const std::vector<MultiIndex>& first, const std::vector<int>& axes) {
  std::vector<MultiIndex> all = first;
  for (int a : axes) {
    MultiIndex alpha(dim, 0);
    alpha[a] = 2;
    all.push_back(alpha);
  }
  return JetSpec(dim, all);
}

/// Forward and reverse pass of `model` at `points` under the collapsed spec
/// JetSpec(dim, first, axes) and under uncollapsed_spec: channels and
/// parameter gradients agree to `rel` (relative to the largest entry).
inline ::testing::AssertionResult check_collapsed_laplacian(models::Model& model, models::ParamStore& store,
                                                            const std::vector<MultiIndex>& first,
                                                            const std::vector<int>& axes,
                                                            const std::vector<double>& points,
                                                            double rel = 1e-12) {
  const int dim = model.in_dim(), outs = model.out_dim();
  const int n = static_cast<int>(points.size()) / dim;
  const JetSpec lap(dim, first, axes), full = uncollapsed_spec(dim, first, axes);
  if (lap.laplacian_channel() < 0) return ::testing::AssertionFailure() << "spec did not collapse: " << lap.describe();
  const int cl = lap.channels(), cf = full.channels();
  const auto yl = model_differentiable(model, lap, points).forward();
  const auto yf = model_differentiable(model, full, points).forward();

  // Every channel of the collapsed spec but L (value, and each direction's
  // coefficients) with its uncollapsed twin, and the second-order channels
  // the Laplacian sums.
  std::vector<std::pair<int, int>> same{{0, 0}};
  for (int d = 0; d < lap.direction_count(); ++d) {
    const auto& dir = lap.direction(d);
    const int twin = full.find_direction(dir.axis_a, dir.axis_b);
    if (twin < 0) return ::testing::AssertionFailure() << "direction " << d << " has no uncollapsed twin";
    for (int k = 1; k <= dir.order; ++k) same.emplace_back(lap.channel(d, k), full.channel(twin, k));
  }
  std::vector<int> second;
  for (int a : axes) {
    MultiIndex alpha(dim, 0);
    alpha[a] = 2;
    second.push_back(full.recipe(alpha).channel[0]);
  }
  double scale = 0;
  for (double v : yf) scale = std::max(scale, std::abs(v));
  const double tol = rel * std::max(scale, 1.0);
  for (int p = 0; p < n; ++p)
    for (int o = 0; o < outs; ++o) {
      auto at = [&](const std::vector<double>& y, int c, int channels) { return y[(p * channels + c) * outs + o]; };
      for (const auto& [cl_, cf_] : same)
        if (std::abs(at(yl, cl_, cl) - at(yf, cf_, cf)) > tol)
          return ::testing::AssertionFailure() << "point " << p << " output " << o << ": channel " << cl_
                                               << " differs from the uncollapsed channel " << cf_;
      double sum = 0;
      for (int c : second) sum += at(yf, c, cf);
      if (std::abs(at(yl, lap.laplacian_channel(), cl) - sum) > tol)
        return ::testing::AssertionFailure() << "point " << p << " output " << o << ": L = "
                                             << at(yl, lap.laplacian_channel(), cl) << ", sum of z_2 = " << sum;
    }

  // Reverse pass: a random adjoint of the collapsed outputs; the uncollapsed
  // network gets it on the same channels and L's on every z_2 it sums.
  const auto adj_l = random_values(yl.size(), -1.0, 1.0, 17);
  std::vector<double> adj_f(yf.size(), 0.0);
  for (int p = 0; p < n; ++p)
    for (int o = 0; o < outs; ++o) {
      for (const auto& [cl_, cf_] : same) adj_f[(p * cf + cf_) * outs + o] = adj_l[(p * cl + cl_) * outs + o];
      for (int c : second) adj_f[(p * cf + c) * outs + o] = adj_l[(p * cl + lap.laplacian_channel()) * outs + o];
    }
  // Each reverse pass right after its own forward (the model keeps one).
  store.zero_grads();
  const auto lap_net = model_differentiable(model, lap, points);
  lap_net.forward();
  lap_net.backward(adj_l);
  const auto gl = store.grads_to_host();
  store.zero_grads();
  const auto full_net = model_differentiable(model, full, points);
  full_net.forward();
  full_net.backward(adj_f);
  const auto gf = store.grads_to_host();
  double gmax = 0;
  for (double g : gf) gmax = std::max(gmax, std::abs(g));
  if (!(gmax > 0)) return ::testing::AssertionFailure() << "zero gradient: nothing checked";
  for (std::size_t i = 0; i < gf.size(); ++i)
    if (std::abs(gl[i] - gf[i]) > rel * 10 * gmax)
      return ::testing::AssertionFailure() << "gradient entry " << i << ": collapsed " << gl[i]
                                           << ", uncollapsed " << gf[i];
  return ::testing::AssertionSuccess();
}

}  // namespace pinnkit::testing
