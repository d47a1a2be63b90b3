#include "pde/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace pinnkit::pde {

double Geometry::boundary_measure() const {
  const auto m = part_measures();
  return std::accumulate(m.begin(), m.end(), 0.0);
}

bool Geometry::contains(const std::vector<double>& x) const {
  PINNKIT_CHECK(static_cast<int>(x.size()) == dim(), "point dimension differs from the geometry's");
  return inside(x.data());
}

std::vector<double> Geometry::sample_interior(int n, const UnitSource& source) const {
  PINNKIT_CHECK(n >= 0, "negative point count");
  const int d = dim();
  const auto& lo = lower();
  const auto& hi = upper();
  std::vector<double> kept;
  kept.reserve(static_cast<std::size_t>(n) * d);
  std::vector<double> x(d);
  int count = 0;
  double acceptance = 1;  // fraction of the last draw inside the shape
  for (int round = 0; count < n; ++round) {
    PINNKIT_CHECK(round < 1000, "rejection sampling keeps no points: is the shape empty?");
    // Later rounds ask for what is missing over the acceptance seen, plus a
    // margin, so that few rounds suffice; surplus points are dropped.
    const int missing = n - count;
    const int ask = round == 0 ? n : static_cast<int>(std::min(1e8, missing / acceptance * 1.1 + 16));
    const auto unit = source.next(ask);
    const int got = static_cast<int>(unit.size() / d);
    PINNKIT_CHECK(got > 0, "unit-point source gave no points");
    int accepted = 0;
    for (int i = 0; i < got; ++i) {
      for (int a = 0; a < d; ++a) x[a] = lo[a] + unit[static_cast<std::size_t>(i) * d + a] * (hi[a] - lo[a]);
      if (!inside(x.data())) continue;
      ++accepted;
      if (count < n || source.fixed) {
        kept.insert(kept.end(), x.begin(), x.end());
        ++count;
      }
    }
    if (source.fixed) break;
    acceptance = std::max(accepted, 1) / static_cast<double>(got);
  }
  return kept;
}

int pick_slot(const std::vector<double>& cdf, double u, double& u_within) {
  PINNKIT_CHECK(!cdf.empty(), "no slots to pick from");
  const int last = static_cast<int>(cdf.size()) - 1;
  int k = static_cast<int>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
  k = std::min(k, last);
  const double start = k == 0 ? 0.0 : cdf[k - 1];
  const double width = cdf[k] - start;
  u_within = width > 0 ? std::clamp((u - start) / width, 0.0, std::nextafter(1.0, 0.0)) : 0.0;
  return k;
}

}  // namespace pinnkit::pde
