// 2-D constructive geometry: analytic areas and boundary lengths of unions,
// intersections and differences, boundary points on the right pieces with
// outward normals, named parts sampled by length, and the Poisson2d-C domain.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pde/csg.hpp"

#include "support/geometry_checks.hpp"

namespace pinnkit::pde {

using testing::check_boundary;
using testing::expect_shares_by_measure;
using testing::fraction;
using testing::unit_source;

namespace {

using testing::pi;

/// Distance to the boundary of the rectangle [x0, x1] x [y0, y1].
double rectangle_distance(const double* p, double x0, double y0, double x1, double y1) {
  auto segment = [](double along, double lo, double hi, double across) {
    const double outside = std::max({lo - along, along - hi, 0.0});
    return std::hypot(outside, across);
  };
  return std::min({segment(p[1], y0, y1, p[0] - x0), segment(p[1], y0, y1, p[0] - x1),
                   segment(p[0], x0, x1, p[1] - y0), segment(p[0], x0, x1, p[1] - y1)});
}

double circle_distance(const double* p, double cx, double cy, double r) {
  return std::abs(std::hypot(p[0] - cx, p[1] - cy) - r);
}

// The rectangle [0, 2] x [0, 1] and the disk of radius 0.4 centred on its
// right edge: the edge x = 2 keeps 0.2 of its length outside the disk, and
// half of the disk (area 0.08 pi, arc 0.4 pi) lies on either side.
const CsgShape rect = CsgShape::rectangle(0, 0, 2, 1);
const CsgShape disk = CsgShape::disk(2, 0.5, 0.4);

double rect_or_disk_distance(const double* p) {
  return std::min(rectangle_distance(p, 0, 0, 2, 1), circle_distance(p, 2, 0.5, 0.4));
}

struct Expected {
  double area;
  std::vector<double> parts;  ///< x_min, x_max, y_min, y_max, circle_1
};

void check_shape(const Csg2d& g, const Expected& e) {
  EXPECT_EQ(g.part_names(), (std::vector<std::string>{"x_min", "x_max", "y_min", "y_max", "circle_1"}));
  EXPECT_NEAR(g.measure(), e.area, 1e-12);
  const auto m = g.part_measures();
  ASSERT_EQ(m.size(), e.parts.size());
  for (std::size_t k = 0; k < m.size(); ++k) EXPECT_NEAR(m[k], e.parts[k], 1e-12) << g.part_names()[k];
  const auto b = g.sample_boundary(4000, unit_source("sobol", 2));
  expect_shares_by_measure(g, check_boundary(g, b, rect_or_disk_distance), 0.005);
  const auto x = g.sample_interior(4000, unit_source("sobol", 2, 3));
  ASSERT_EQ(x.size(), 8000u);
  for (std::size_t i = 0; i < 4000; ++i) ASSERT_TRUE(g.contains({x[2 * i], x[2 * i + 1]})) << i;
}

}  // namespace

TEST(Csg, UnionOfRectangleAndDisk) {
  const Csg2d g(unite(rect, disk));
  check_shape(g, {2 + 0.08 * pi, {1, 0.2, 2, 2, 0.4 * pi}});
  EXPECT_TRUE(g.contains({2.3, 0.5}));
  EXPECT_TRUE(g.contains({1, 0.5}));
  EXPECT_FALSE(g.contains({2.3, 0.9}));
  EXPECT_EQ(g.upper(), (std::vector<double>{2.4, 1}));
}

TEST(Csg, IntersectionOfRectangleAndDisk) {
  const Csg2d g(intersect(rect, disk));
  check_shape(g, {0.08 * pi, {0, 0.8, 0, 0, 0.4 * pi}});
  EXPECT_TRUE(g.contains({1.8, 0.5}));
  EXPECT_FALSE(g.contains({2.1, 0.5}));
  EXPECT_FALSE(g.contains({1, 0.5}));
}

TEST(Csg, RectangleMinusDisk) {
  const Csg2d g(subtract(rect, disk));
  check_shape(g, {2 - 0.08 * pi, {1, 0.2, 2, 2, 0.4 * pi}});
  EXPECT_FALSE(g.contains({1.8, 0.5}));
  EXPECT_TRUE(g.contains({1.8, 0.95}));
  // The arc inside the rectangle is a hole's edge: normals point to the centre.
  const auto b = g.sample_boundary(500, unit_source("sobol", 2));
  for (std::size_t i = 0; i < 500; ++i) {
    if (b.part[i] != 4) continue;
    const double rx = b.points[2 * i] - 2, ry = b.points[2 * i + 1] - 0.5;
    EXPECT_NEAR(b.normals[2 * i] * rx + b.normals[2 * i + 1] * ry, -0.4, 1e-12);
  }
}

TEST(Csg, DiskMinusRectangleKeepsTheChordWithFlippedNormal) {
  const Csg2d g(subtract(disk, rect));
  EXPECT_EQ(g.part_names(), (std::vector<std::string>{"circle_1", "x_min", "x_max", "y_min", "y_max"}));
  EXPECT_NEAR(g.measure(), 0.08 * pi, 1e-12);
  EXPECT_NEAR(g.boundary_measure(), 0.8 + 0.4 * pi, 1e-12);
  const auto b = g.sample_boundary(2000, unit_source("sobol", 2));
  expect_shares_by_measure(g, check_boundary(g, b, rect_or_disk_distance), 0.005);
  for (std::size_t i = 0; i < 2000; ++i)
    if (b.part[i] == 2) {
      EXPECT_EQ(b.normals[2 * i], -1.0);
    }
}

TEST(Csg, UnionAndIntersectionOfTwoDisksCutAtTheirCrossings) {
  // Unit disks with centres 1 apart: each keeps an arc of 4 pi / 3 in the union.
  const auto a = CsgShape::disk(0, 0, 1), b = CsgShape::disk(1, 0, 1);
  const double lens = 2 * pi / 3 - std::sqrt(3.0) / 2;
  const Csg2d both(unite(a, b)), lens_shape(intersect(a, b));
  EXPECT_EQ(both.part_names(), (std::vector<std::string>{"circle_1", "circle_2"}));
  EXPECT_NEAR(both.measure(), 2 * pi - lens, 1e-12);
  EXPECT_NEAR(both.boundary_measure(), 8 * pi / 3, 1e-12);
  EXPECT_NEAR(lens_shape.measure(), lens, 1e-12);
  EXPECT_NEAR(lens_shape.boundary_measure(), 4 * pi / 3, 1e-12);
  auto distance = [](const double* p) {
    return std::min(circle_distance(p, 0, 0, 1), circle_distance(p, 1, 0, 1));
  };
  for (const Csg2d* g : {&both, &lens_shape}) {
    const auto pts = g->sample_boundary(2000, unit_source("sobol", 2));
    expect_shares_by_measure(*g, check_boundary(*g, pts, distance), 0.005);
  }
}

TEST(Csg, PinnaclePoisson2dCDomain) {
  const Csg2d g = pinnacle_poisson2d_c_domain();
  EXPECT_EQ(g.part_names(), (std::vector<std::string>{"x_min", "x_max", "y_min", "y_max", "circle_1", "circle_2",
                                                       "circle_3", "circle_4"}));
  EXPECT_NEAR(g.boundary_measure(), 4 + 4 * 2 * pi * 0.1, 1e-12);
  EXPECT_NEAR(g.measure(), 1 - 4 * pi * 0.01, 1e-12);
  const auto m = g.part_measures();
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(m[k], 1.0, 1e-12);
  for (int k = 4; k < 8; ++k) EXPECT_NEAR(m[k], 0.2 * pi, 1e-12);
  EXPECT_TRUE(g.contains({0, 0}));
  EXPECT_TRUE(g.contains({0.5, 0}));
  EXPECT_TRUE(g.contains({0.3, 0.41}));
  EXPECT_FALSE(g.contains({0.3, 0.3}));
  EXPECT_FALSE(g.contains({-0.3, 0.39}));
  EXPECT_FALSE(g.contains({0.6, 0}));

  auto distance = [](const double* p) {
    double d = rectangle_distance(p, -0.5, -0.5, 0.5, 0.5);
    for (double cx : {-0.3, 0.3})
      for (double cy : {-0.3, 0.3}) d = std::min(d, circle_distance(p, cx, cy, 0.1));
    return d;
  };
  const auto b = g.sample_boundary(6000, unit_source("sobol", 2));
  expect_shares_by_measure(g, check_boundary(g, b, distance), 0.005);

  const int n = 4000;
  const auto x = g.sample_interior(n, unit_source("sobol", 2));
  ASSERT_EQ(x.size(), 2u * n);
  for (int i = 0; i < n; ++i) ASSERT_TRUE(g.contains({x[2 * i], x[2 * i + 1]})) << i;
  const double area = g.measure();
  EXPECT_NEAR(fraction(x, 2, [](const double* p) { return p[0] < 0; }), 0.5, 0.02);
  EXPECT_NEAR(fraction(x, 2, [](const double* p) { return std::abs(p[0]) < 0.2 && std::abs(p[1]) < 0.2; }),
              0.16 / area, 0.02);
  // The band 0.2 < y < 0.4 holds two half-holes' worth of missing area each side.
  EXPECT_NEAR(fraction(x, 2, [](const double* p) { return p[1] > 0.2 && p[1] < 0.4; }),
              (0.2 - 2 * pi * 0.01) / area, 0.02);
}

TEST(Csg, SamplingIsReproducibleForASeed) {
  const Csg2d g = pinnacle_poisson2d_c_domain();
  for (const char* method : {"uniform", "sobol", "lhs"}) {
    EXPECT_EQ(g.sample_interior(300, unit_source(method, 2, 5)), g.sample_interior(300, unit_source(method, 2, 5)));
    EXPECT_EQ(g.sample_boundary(300, unit_source(method, 2, 5)).points,
              g.sample_boundary(300, unit_source(method, 2, 5)).points);
  }
  EXPECT_NE(g.sample_interior(300, unit_source("uniform", 2, 5)), g.sample_interior(300, unit_source("uniform", 2, 6)));
}

}  // namespace pinnkit::pde
