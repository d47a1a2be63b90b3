#pragma once
/// \brief Shared pieces of the KAN tests: a layer with its own store and
/// random O(1) parameters, per-input grids, and points kept away from knots
/// (where splines are not smooth and finite differences are meaningless).
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "models/kan_layer.hpp"

namespace pinnkit::testing {

/// Overwrites every trainable block of `store` with U(-amp, amp) values
/// (the per-edge scale with U(0.5, 1.5)); grids are left alone.
inline void randomize_trainable(models::ParamStore& store, std::uint64_t seed, double amp = 1.0) {
  HostRng rng("randomize", seed);
  std::vector<double> p = store.params_to_host();
  for (const auto& b : store.blocks()) {
    if (!b.trainable) continue;
    const bool scale = b.name.size() >= 6 && b.name.compare(b.name.size() - 6, 6, ".scale") == 0;
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i)
      p[i] = scale ? rng.uniform(0.5, 1.5) : rng.uniform(-amp, amp);
  }
  store.params_from_host(p);
}

/// Gives input p of `layer` the grid [lo0 + p*shift, hi0 + p*shift] (distinct
/// grids per input exercise the per-input grid path).
inline void set_grids(models::ParamStore& store, const models::KanLayer& layer, double lo0,
                      double hi0, double shift) {
  std::vector<double> g(2 * static_cast<std::size_t>(layer.in_features()));
  for (int p = 0; p < layer.in_features(); ++p) {
    g[2 * p] = lo0 + p * shift;
    g[2 * p + 1] = hi0 + p * shift;
  }
  store.block_from_host(layer.name() + ".grid", g);
}

/// Distance from x to the nearest knot t_0..t_{G+2k} of `g`.
inline double knot_distance(const models::SplineGrid& g, double x) {
  double d = INFINITY;
  for (int j = 0; j <= g.intervals + 2 * g.degree; ++j) d = std::min(d, std::abs(x - g.knot(j)));
  return d;
}

/// A point of the interval [lo + i h, lo + (i+1) h], i uniform in -2..G
/// (inside the grid, its extension and just beyond), at least `margin` from
/// both ends of that interval.
inline double point_away_from_knots(const models::SplineGrid& g, HostRng& rng, double margin) {
  const double h = g.step();
  const int i = -2 + static_cast<int>(rng.uniform01() * (g.intervals + 3));
  return g.lo + i * h + margin + rng.uniform01() * (h - 2 * margin);
}

/// n points (row-major, n x layer.in_features()) whose every coordinate p
/// lies at least `margin` from the knots of input p's grid.
inline std::vector<double> points_away_from_knots(const models::KanLayer& layer, int n,
                                                  double margin, std::uint64_t seed) {
  HostRng rng("points", seed);
  std::vector<double> pts;
  for (int i = 0; i < n; ++i)
    for (int p = 0; p < layer.in_features(); ++p)
      pts.push_back(point_away_from_knots(layer.grid(p), rng, margin));
  return pts;
}

/// The derivatives a test of order `order` asks for: every pure derivative
/// of orders 1..order along x and y, and u_xy when order >= 2.
inline std::vector<MultiIndex> derivatives_up_to(int order) {
  std::vector<MultiIndex> d;
  for (int k = 1; k <= order; ++k) {
    d.push_back({k, 0});
    d.push_back({0, k});
  }
  if (order >= 2) d.push_back({1, 1});
  return d;
}

}  // namespace pinnkit::testing
