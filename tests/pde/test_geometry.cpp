// Geometry interface on boxes, intervals and balls: membership, measures,
// uniform interior points, boundary points and normals, reproducibility.
#include <gtest/gtest.h>

#include <cmath>

#include "pde/box.hpp"
#include "pde/geometry_ball.hpp"

#include "support/geometry_checks.hpp"

namespace pinnkit::pde {

using testing::check_boundary;
using testing::expect_shares_by_measure;
using testing::fraction;
using testing::unit_source;

namespace {
using testing::pi;
}

TEST(GeometryBox, MeasuresMembershipAndBoundaryThroughTheInterface) {
  const Box box({"x", "y", "z"}, {0, 0, 0}, {1, 2, 3});
  const Geometry& g = box;
  EXPECT_EQ(g.dim(), 3);
  EXPECT_DOUBLE_EQ(g.measure(), 6);
  EXPECT_DOUBLE_EQ(g.boundary_measure(), 2 * (2 + 3 + 6));
  EXPECT_EQ(g.part_measures(), (std::vector<double>{6, 6, 3, 3, 2, 2}));
  EXPECT_TRUE(g.contains({0.5, 1, 1.5}));
  EXPECT_TRUE(g.contains({1, 2, 3}));
  EXPECT_FALSE(g.contains({1.01, 1, 1}));
  EXPECT_FALSE(g.contains({0.5, -0.01, 1}));
  const auto b = g.sample_boundary(6000, unit_source("sobol", 3));
  auto distance = [](const double* x) {
    return std::min({std::abs(x[0]), std::abs(x[0] - 1), std::abs(x[1]), std::abs(x[1] - 2), std::abs(x[2]),
                     std::abs(x[2] - 3)});
  };
  expect_shares_by_measure(g, check_boundary(g, b, distance), 0.01);
}

TEST(GeometryBox, IntervalHasTwoEndPointsAndFillsItsRange) {
  const Box interval = make_interval("x", -1, 3);
  EXPECT_EQ(interval.part_names(), (std::vector<std::string>{"x_min", "x_max"}));
  EXPECT_DOUBLE_EQ(interval.measure(), 4);
  EXPECT_DOUBLE_EQ(interval.boundary_measure(), 2);
  const auto b = interval.sample_boundary(1000, unit_source("sobol", 1));
  auto distance = [](const double* x) { return std::min(std::abs(x[0] + 1), std::abs(x[0] - 3)); };
  expect_shares_by_measure(interval, check_boundary(interval, b, distance), 0.01);
  const auto x = interval.sample_interior(2000, unit_source("sobol", 1));
  ASSERT_EQ(x.size(), 2000u);
  EXPECT_NEAR(fraction(x, 1, [](const double* p) { return p[0] < 0; }), 0.25, 0.01);
}

TEST(GeometryBall, DiskMembershipMeasuresAndUniformInterior) {
  const Ball disk = make_disk(1, -1, 0.5);
  EXPECT_EQ(disk.part_names(), (std::vector<std::string>{"circle"}));
  EXPECT_NEAR(disk.measure(), pi * 0.25, 1e-14);
  EXPECT_NEAR(disk.boundary_measure(), pi, 1e-14);
  EXPECT_EQ(disk.lower(), (std::vector<double>{0.5, -1.5}));
  EXPECT_TRUE(disk.contains({1, -1}));
  EXPECT_TRUE(disk.contains({1.5, -1}));
  EXPECT_FALSE(disk.contains({1.4, -0.6}));  // inside the bounding box only
  const int n = 4000;
  const auto x = disk.sample_interior(n, unit_source("sobol", 2));
  ASSERT_EQ(x.size(), 2u * n);
  for (int i = 0; i < n; ++i) ASSERT_TRUE(disk.contains({x[2 * i], x[2 * i + 1]})) << i;
  // Uniform by area: the inner disk of half the radius holds 1/4, a quadrant 1/4.
  EXPECT_NEAR(fraction(x, 2, [](const double* p) { return std::hypot(p[0] - 1, p[1] + 1) < 0.25; }), 0.25, 0.02);
  EXPECT_NEAR(fraction(x, 2, [](const double* p) { return p[0] > 1 && p[1] > -1; }), 0.25, 0.02);
}

TEST(GeometryBall, DiskBoundaryOnTheCircleWithOutwardNormalsSpreadByAngle) {
  const Ball disk = make_disk(1, -1, 0.5);
  const auto b = disk.sample_boundary(3000, unit_source("sobol", 2));
  auto distance = [](const double* x) { return std::abs(std::hypot(x[0] - 1, x[1] + 1) - 0.5); };
  const auto count = check_boundary(disk, b, distance);
  EXPECT_EQ(count[0], 3000);
  EXPECT_NEAR(fraction(b.points, 2, [](const double* p) { return p[1] > -1; }), 0.5, 0.01);
  EXPECT_NEAR(fraction(b.points, 2, [](const double* p) { return p[0] > 1.25; }), 1.0 / 3, 0.01);
}

TEST(GeometryBall, ThreeDimensionalBallVolumeSphereAndUniformCaps) {
  const Ball ball({"x", "y", "z"}, {0, 0, 1}, 2);
  EXPECT_NEAR(ball.measure(), 4.0 / 3 * pi * 8, 1e-12);
  EXPECT_NEAR(ball.boundary_measure(), 4 * pi * 4, 1e-12);
  const auto b = ball.sample_boundary(4000, unit_source("sobol", 3));
  auto distance = [](const double* x) { return std::abs(std::sqrt(x[0] * x[0] + x[1] * x[1] + (x[2] - 1) * (x[2] - 1)) - 2); };
  check_boundary(ball, b, distance);
  // Archimedes: the cap above height h has area share (1 - h / r) / 2.
  EXPECT_NEAR(fraction(b.points, 3, [](const double* p) { return p[2] > 1; }), 0.5, 0.01);
  EXPECT_NEAR(fraction(b.points, 3, [](const double* p) { return p[2] > 2; }), 0.25, 0.01);
  EXPECT_NEAR(fraction(b.points, 3, [](const double* p) { return p[0] < -1; }), 0.25, 0.01);
  const auto x = ball.sample_interior(4000, unit_source("sobol", 3));
  ASSERT_EQ(x.size(), 12000u);
  EXPECT_NEAR(fraction(x, 3, [](const double* p) { return p[0] * p[0] + p[1] * p[1] + (p[2] - 1) * (p[2] - 1) < 1; }),
              0.125, 0.02);
}

TEST(GeometryBall, RejectionSamplingIsReproducibleForASeed) {
  const Ball disk = make_disk(0, 0, 1);
  const auto a = disk.sample_interior(500, unit_source("uniform", 2, 7));
  const auto b = disk.sample_interior(500, unit_source("uniform", 2, 7));
  const auto c = disk.sample_interior(500, unit_source("uniform", 2, 8));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.size(), 1000u);
}

TEST(GeometryBall, GridSourceKeepsTheGridCellsInsideTheShape) {
  const Ball disk = make_disk(0, 0, 1);
  const auto x = disk.sample_interior(100, unit_source("grid", 2));
  int expected = 0;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) expected += std::hypot(-1 + 0.2 * i + 0.1, -1 + 0.2 * j + 0.1) <= 1 ? 1 : 0;
  EXPECT_EQ(static_cast<int>(x.size() / 2), expected);
  for (std::size_t i = 0; i < x.size() / 2; ++i) EXPECT_TRUE(disk.contains({x[2 * i], x[2 * i + 1]}));
}

}  // namespace pinnkit::pde
