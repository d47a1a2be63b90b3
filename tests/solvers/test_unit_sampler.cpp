#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "solvers/unit_sampler.hpp"

namespace pinnkit::solvers {

TEST(UnitSampler, SobolStartsAfterTheOriginWithTheKnownSequence) {
  UnitSampler s("sobol", 2, 0);
  const auto p = s.next(3);
  // Sobol in 2-D without the origin: (1/2,1/2), (3/4,1/4), (1/4,3/4).
  const std::vector<double> expected{0.5, 0.5, 0.75, 0.25, 0.25, 0.75};
  ASSERT_EQ(p.size(), expected.size());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_DOUBLE_EQ(p[i], expected[i]) << i;
  const auto q = s.next(1);  // the sequence continues
  EXPECT_DOUBLE_EQ(q[0], 0.375);
}

TEST(UnitSampler, LatinHypercubePutsOnePointInEveryStratumOfEveryAxis) {
  const int n = 64, d = 3;
  UnitSampler s("lhs", d, 42);
  const auto p = s.next(n);
  for (int a = 0; a < d; ++a) {
    std::set<int> strata;
    for (int i = 0; i < n; ++i) strata.insert(static_cast<int>(p[i * d + a] * n));
    EXPECT_EQ(static_cast<int>(strata.size()), n) << "axis " << a;
  }
}

TEST(UnitSampler, UniformIsReproducibleFromItsSeedAndInsideTheCube) {
  UnitSampler a("uniform", 2, 7), b("uniform", 2, 7), c("uniform", 2, 8);
  const auto pa = a.next(100), pb = b.next(100), pc = c.next(100);
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, pc);
  for (double v : pa) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
}

TEST(UnitSampler, GridGivesCellCentresOfAnMToTheDGrid) {
  UnitSampler s("grid", 2, 0);
  const auto p = s.next(10);  // m = 3
  ASSERT_EQ(p.size(), 9u * 2);
  EXPECT_DOUBLE_EQ(p[0], 1.0 / 6);
  EXPECT_DOUBLE_EQ(p[1], 1.0 / 6);
  EXPECT_DOUBLE_EQ(p[2 * 8], 5.0 / 6);
  EXPECT_DOUBLE_EQ(p[2 * 8 + 1], 5.0 / 6);
}

}  // namespace pinnkit::solvers
