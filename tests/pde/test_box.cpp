#include <gtest/gtest.h>

#include "pde/box.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::pde {

TEST(Box, InteriorPointsFillTheBox) {
  Box box({"x", "t"}, {-1, 0}, {1, 2});
  const auto p = box.map_interior({0.0, 0.0, 0.5, 0.5, 0.999, 0.25});
  EXPECT_DOUBLE_EQ(p[0], -1);
  EXPECT_DOUBLE_EQ(p[1], 0);
  EXPECT_DOUBLE_EQ(p[2], 0);
  EXPECT_DOUBLE_EQ(p[3], 1);
  EXPECT_NEAR(p[4], 0.998, 1e-12);
  EXPECT_DOUBLE_EQ(p[5], 0.5);
}

TEST(Box, BoundaryPointsLieOnTheirFaceWithOutwardNormalsAndFacesShareByMeasure) {
  // Faces normal to x have length 1, faces normal to y have length 3: shares 1:1:3:3.
  Box box({"x", "y"}, {0, 0}, {3, 1});
  ASSERT_EQ(box.part_names(), (std::vector<std::string>{"x_min", "x_max", "y_min", "y_max"}));
  solvers::UnitSampler s("sobol", 2, 0);
  const int n = 8000;
  const auto b = box.map_boundary(s.next(n));
  std::vector<int> count(4, 0);
  for (int i = 0; i < n; ++i) {
    const int f = b.part[i], axis = f / 2;
    ++count[f];
    const double on_face = f % 2 ? box.upper()[axis] : box.lower()[axis];
    EXPECT_DOUBLE_EQ(b.points[2 * i + axis], on_face);
    EXPECT_DOUBLE_EQ(b.normals[2 * i + axis], f % 2 ? 1.0 : -1.0);
    EXPECT_DOUBLE_EQ(b.normals[2 * i + (1 - axis)], 0.0);
    const double other = b.points[2 * i + (1 - axis)];
    EXPECT_GE(other, box.lower()[1 - axis]);
    EXPECT_LE(other, box.upper()[1 - axis]);
  }
  EXPECT_NEAR(count[0] / double(n), 1.0 / 8, 0.01);
  EXPECT_NEAR(count[1] / double(n), 1.0 / 8, 0.01);
  EXPECT_NEAR(count[2] / double(n), 3.0 / 8, 0.01);
  EXPECT_NEAR(count[3] / double(n), 3.0 / 8, 0.01);
}

}  // namespace pinnkit::pde
