#pragma once
/// \brief Shared checks for the geometry tests: seeded unit-point sources and
/// a boundary check (on the analytic boundary, unit outward normals).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pde/geometry.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::pde::testing {

inline constexpr double pi = 3.14159265358979323846;

inline UnitSource unit_source(const std::string& method, int dim, std::uint64_t seed = 0) {
  auto sampler = std::make_shared<solvers::UnitSampler>(method, dim, seed);
  return UnitSource{[sampler](int n) { return sampler->next(n); }, method == "grid"};
}

/// Checks every boundary point: distance to the analytic boundary < 1e-12, a
/// unit normal, x + eps n outside and x - eps n inside. Returns the point count per part.
inline std::vector<int> check_boundary(const Geometry& g, const BoundaryPoints& b,
                                       const std::function<double(const double*)>& distance,
                                       double eps = 1e-7) {
  const int d = g.dim();
  const std::size_t n = b.part.size();
  EXPECT_EQ(b.points.size(), n * d);
  EXPECT_EQ(b.normals.size(), n * d);
  std::vector<int> count(g.part_names().size(), 0);
  std::vector<double> out(d), in(d);
  int failures = 0;
  for (std::size_t i = 0; i < n && failures < 5; ++i) {
    const double* x = &b.points[i * d];
    const double* nrm = &b.normals[i * d];
    double len2 = 0;
    for (int a = 0; a < d; ++a) {
      len2 += nrm[a] * nrm[a];
      out[a] = x[a] + eps * nrm[a];
      in[a] = x[a] - eps * nrm[a];
    }
    const bool ok = distance(x) < 1e-12 && std::abs(std::sqrt(len2) - 1) < 1e-12 && !g.contains(out) &&
                    g.contains(in) && b.part[i] >= 0 && b.part[i] < static_cast<int>(count.size());
    if (!ok) {
      ++failures;
      ADD_FAILURE() << "boundary point " << i << " fails: distance " << distance(x) << ", |n| "
                    << std::sqrt(len2) << ", outside after +eps n: " << !g.contains(out)
                    << ", inside after -eps n: " << g.contains(in) << ", part " << b.part[i];
      continue;
    }
    ++count[b.part[i]];
  }
  return count;
}

/// Each part's share of the points is its share of the boundary measure.
inline void expect_shares_by_measure(const Geometry& g, const std::vector<int>& count, double tol) {
  const auto m = g.part_measures();
  const double total = g.boundary_measure();
  int n = 0;
  for (int c : count) n += c;
  ASSERT_GT(n, 0);
  for (std::size_t k = 0; k < m.size(); ++k)
    EXPECT_NEAR(count[k] / double(n), m[k] / total, tol) << "part " << g.part_names()[k];
}

/// Fraction of the n x d points for which `pred` holds.
inline double fraction(const std::vector<double>& pts, int d, const std::function<bool(const double*)>& pred) {
  const std::size_t n = pts.size() / d;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < n; ++i) hits += pred(&pts[i * d]) ? 1 : 0;
  return n ? hits / double(n) : 0.0;
}

}  // namespace pinnkit::pde::testing
