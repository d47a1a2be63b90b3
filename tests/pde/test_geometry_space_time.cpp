// Space-time products: measures, interior points over space and time, the
// lateral boundary with spatial normals and names, and the initial set.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "pde/box.hpp"
#include "pde/csg.hpp"
#include "pde/space_time.hpp"

#include "support/geometry_checks.hpp"

namespace pinnkit::pde {

using testing::check_boundary;
using testing::expect_shares_by_measure;
using testing::fraction;
using testing::unit_source;

namespace {

using testing::pi;

SpaceTime holes_over_time() {
  return SpaceTime(std::make_shared<Csg2d>(pinnacle_poisson2d_c_domain()), "t", 1, 3);
}

double holes_distance(const double* p) {
  double d = std::numeric_limits<double>::infinity();
  for (double edge : {-0.5, 0.5}) d = std::min({d, std::abs(p[0] - edge), std::abs(p[1] - edge)});
  for (double cx : {-0.3, 0.3})
    for (double cy : {-0.3, 0.3}) d = std::min(d, std::abs(std::hypot(p[0] - cx, p[1] - cy) - 0.1));
  return d;
}

}  // namespace

TEST(SpaceTime, NamesBoxMeasuresAndMembership) {
  const SpaceTime g = holes_over_time();
  EXPECT_EQ(g.dim(), 3);
  EXPECT_EQ(g.names(), (std::vector<std::string>{"x", "y", "t"}));
  EXPECT_EQ(g.lower(), (std::vector<double>{-0.5, -0.5, 1}));
  EXPECT_EQ(g.upper(), (std::vector<double>{0.5, 0.5, 3}));
  EXPECT_EQ(g.part_names(), g.space().part_names());
  EXPECT_NEAR(g.measure(), 2 * (1 - 0.04 * pi), 1e-12);
  EXPECT_NEAR(g.boundary_measure(), 2 * (4 + 0.8 * pi), 1e-12);
  EXPECT_TRUE(g.contains({0, 0, 2}));
  EXPECT_FALSE(g.contains({0, 0, 3.5}));
  EXPECT_FALSE(g.contains({0.3, 0.3, 2}));
}

TEST(SpaceTime, InteriorPointsSpreadOverSpaceAndTime) {
  const SpaceTime g = holes_over_time();
  const int n = 4000;
  const auto x = g.sample_interior(n, unit_source("sobol", 3));
  ASSERT_EQ(x.size(), 3u * n);
  for (int i = 0; i < n; ++i) ASSERT_TRUE(g.contains({x[3 * i], x[3 * i + 1], x[3 * i + 2]})) << i;
  EXPECT_NEAR(fraction(x, 3, [](const double* p) { return p[2] < 1.5; }), 0.25, 0.02);
  EXPECT_NEAR(fraction(x, 3, [](const double* p) { return p[0] > 0 && p[2] > 2; }), 0.25, 0.02);
}

TEST(SpaceTime, BoundaryIsTheSpatialBoundaryTimesTime) {
  const SpaceTime g = holes_over_time();
  const auto b = g.sample_boundary(6000, unit_source("sobol", 3));
  // A point of the lateral boundary is inside for every t in [t0, t1]: check
  // the spatial part against the spatial geometry, the time in range, n_t = 0.
  std::vector<int> count(g.part_names().size(), 0);
  BoundaryPoints spatial;
  for (std::size_t i = 0; i < b.part.size(); ++i) {
    ASSERT_GE(b.points[3 * i + 2], 1);
    ASSERT_LT(b.points[3 * i + 2], 3);
    ASSERT_EQ(b.normals[3 * i + 2], 0.0);
    for (int a = 0; a < 2; ++a) {
      spatial.points.push_back(b.points[3 * i + a]);
      spatial.normals.push_back(b.normals[3 * i + a]);
    }
    spatial.part.push_back(b.part[i]);
  }
  count = check_boundary(g.space(), spatial, holes_distance);
  expect_shares_by_measure(g, count, 0.005);
  EXPECT_NEAR(fraction(b.points, 3, [](const double* p) { return p[2] < 2; }), 0.5, 0.01);
  // The same points through the product's own membership: + eps n leaves it.
  const auto own = check_boundary(g, b, [](const double* p) { return holes_distance(p); });
  EXPECT_EQ(own, count);
}

TEST(SpaceTime, InitialSetIsTheSpatialInteriorAtT0) {
  const SpaceTime g = holes_over_time();
  const int n = 3000;
  const auto x = g.sample_initial(n, unit_source("sobol", 3));
  ASSERT_EQ(x.size(), 3u * n);
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(x[3 * i + 2], 1.0);
    ASSERT_TRUE(g.space().contains({x[3 * i], x[3 * i + 1]})) << i;
  }
  EXPECT_NEAR(fraction(x, 3, [](const double* p) { return p[1] < 0; }), 0.5, 0.02);
}

TEST(SpaceTime, IntervalTimesTimeKeepsEndNamesAndIsReproducible) {
  const SpaceTime g(std::make_shared<Box>(make_interval("x", -1, 1)), "t", 0, 1);
  EXPECT_EQ(g.part_names(), (std::vector<std::string>{"x_min", "x_max"}));
  EXPECT_DOUBLE_EQ(g.boundary_measure(), 2);
  const auto b = g.sample_boundary(1000, unit_source("uniform", 2, 11));
  auto distance = [](const double* p) { return std::abs(std::abs(p[0]) - 1); };
  expect_shares_by_measure(g, check_boundary(g, b, distance), 0.05);
  EXPECT_EQ(b.points, g.sample_boundary(1000, unit_source("uniform", 2, 11)).points);
  EXPECT_EQ(g.sample_initial(50, unit_source("uniform", 2, 11)), g.sample_initial(50, unit_source("uniform", 2, 11)));
  EXPECT_NE(g.sample_interior(50, unit_source("uniform", 2, 11)), g.sample_interior(50, unit_source("uniform", 2, 12)));
}

}  // namespace pinnkit::pde
