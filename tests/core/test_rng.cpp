// HostRng: reproducible streams per (name, seed), distinct streams per name,
// and sane uniform / normal moments.
#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"

namespace pinnkit {
namespace {

TEST(HostRng, SameNameAndSeedGiveSameStream) {
  HostRng a("layer0.weight", 7), b("layer0.weight", 7);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.bits(), b.bits());
}

TEST(HostRng, NameAndSeedBothChangeTheStream) {
  EXPECT_NE(derive_seed("layer0.weight", 7), derive_seed("layer1.weight", 7));
  EXPECT_NE(derive_seed("layer0.weight", 7), derive_seed("layer0.weight", 8));
  HostRng a("w", 1), b("w", 2);
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.bits() == b.bits();
  EXPECT_EQ(equal, 0);
}

TEST(HostRng, UniformAndNormalMoments) {
  HostRng rng(123);
  const int n = 200000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0, lo = 1, hi = -1;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(-1, 3);
    su += u;
    su2 += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    const double z = rng.normal(2.0, 0.5);
    sn += z;
    sn2 += z * z;
  }
  EXPECT_GE(lo, -1.0);
  EXPECT_LT(hi, 3.0);
  EXPECT_NEAR(su / n, 1.0, 0.02);                        // mean of U(-1,3)
  EXPECT_NEAR(su2 / n - (su / n) * (su / n), 16.0 / 12, 0.02);
  EXPECT_NEAR(sn / n, 2.0, 0.01);
  EXPECT_NEAR(sn2 / n - (sn / n) * (sn / n), 0.25, 0.01);
}

}  // namespace
}  // namespace pinnkit
