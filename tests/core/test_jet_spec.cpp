// JetSpec: directions and channels from derivative requests, recipes
// (k! factors, polarisation), rejection of unsupported requests, seeding.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/jet_spec.hpp"

namespace pinnkit {
namespace {

TEST(JetSpec, ValueOnlyHasOneChannel) {
  JetSpec s(3);
  EXPECT_EQ(s.channels(), 1);
  EXPECT_EQ(s.direction_count(), 0);
  EXPECT_TRUE(s.provides({0, 0, 0}));
  EXPECT_FALSE(s.provides({1, 0, 0}));
  EXPECT_THROW(s.recipe({1, 0, 0}), InputError);
}

TEST(JetSpec, LaplacianInTwoDimensions) {
  JetSpec s(2, {{2, 0}, {0, 2}});
  ASSERT_EQ(s.direction_count(), 2);
  EXPECT_EQ(s.channels(), 5);
  EXPECT_EQ(s.channel(0, 1), 1);
  EXPECT_EQ(s.channel(0, 2), 2);
  EXPECT_EQ(s.channel(1, 1), 3);
  EXPECT_EQ(s.channel(1, 2), 4);
  EXPECT_TRUE(s.provides({1, 0}));  // order 1 comes with order 2
  const DerivativeRecipe r = s.recipe({0, 2});
  ASSERT_EQ(r.terms, 1);
  EXPECT_EQ(r.channel[0], 4);
  EXPECT_EQ(r.weight[0], 2);  // D^2 = 2! z_2
}

TEST(JetSpec, HighestOrderPerAxisWins) {
  JetSpec s(2, {{1, 0}, {0, 3}, {4, 0}, {0, 1}});
  ASSERT_EQ(s.direction_count(), 2);
  EXPECT_EQ(s.direction(0).order, 4);
  EXPECT_EQ(s.direction(1).order, 3);
  EXPECT_EQ(s.channels(), 8);
  EXPECT_EQ(s.max_order(), 4);
  EXPECT_EQ(s.recipe({4, 0}).weight[0], 24);
  EXPECT_EQ(s.recipe({0, 3}).weight[0], 6);
  EXPECT_EQ(s.recipe({0, 3}).channel[0], s.channel(1, 3));
  EXPECT_EQ(s.derivatives().size(), 5u);  // value + 4 requests
}

TEST(JetSpec, MixedDerivativeIsPolarised) {
  JetSpec s(3, {{0, 1, 1}});
  // e_y and e_z get order 2, then the pair direction e_y + e_z.
  ASSERT_EQ(s.direction_count(), 3);
  EXPECT_EQ(s.find_direction(1), 0);
  EXPECT_EQ(s.find_direction(2), 1);
  EXPECT_EQ(s.find_direction(1, 2), 2);
  EXPECT_TRUE(s.direction(2).mixed());
  EXPECT_EQ(s.channels(), 7);
  // u_yz = (2 z2[y+z] - 2 z2[y] - 2 z2[z]) / 2; check on u = y z (+ anything
  // along single axes): along v the coefficient z2 of s^2 is v_y v_z.
  const DerivativeRecipe r = s.recipe({0, 1, 1});
  ASSERT_EQ(r.terms, 3);
  std::vector<double> ch(7, 0.0);
  ch[s.channel(2, 2)] = 1.0 + 5.0;  // (y z) + (y^2*5 contributes 5 along e_y+e_z)
  ch[s.channel(0, 2)] = 5.0;        // 5 y^2 along e_y
  ch[s.channel(1, 2)] = 0.0;
  EXPECT_DOUBLE_EQ(r.combine([&](int c) { return ch[c]; }), 1.0);
}

TEST(JetSpec, RecipesWorkInsideKernels) {
  // u = 3 x^2 y + y^3 seen through its jets: u_xx = 6 y, u_xy = 6 x, u_yyy = 6.
  const JetSpec s(2, {{2, 0}, {1, 1}, {0, 3}});
  const DerivativeRecipe uxx = s.recipe({2, 0}), uxy = s.recipe({1, 1}), uyyy = s.recipe({0, 3});
  const double x = 0.5, y = -2.0;
  // Taylor coefficients of u(p + t v): along e_x: z2 = 3 y; along e_y: z2 = 3 y, z3 = 1;
  // along e_x + e_y: z2 = 3 y + 6 x + 3 y.
  View1<Real> ch("channels", s.channels());
  auto h = Kokkos::create_mirror_view(ch);
  h(s.channel(s.find_direction(0), 2)) = 3 * y;
  h(s.channel(s.find_direction(1), 2)) = 3 * y;
  h(s.channel(s.find_direction(1), 3)) = 1;
  h(s.channel(s.find_direction(0, 1), 2)) = 6 * y + 6 * x;
  Kokkos::deep_copy(ch, h);
  View1<Real> out("out", 3);
  Kokkos::parallel_for(
      "pinnkit::test::JetSpec::recipes", Kokkos::RangePolicy<ExecSpace>(0, 1),
      KOKKOS_LAMBDA(int) {
        auto value = [&](int c) { return ch(c); };
        out(0) = uxx.combine(value);
        out(1) = uxy.combine(value);
        out(2) = uyyy.combine(value);
      });
  auto o = Kokkos::create_mirror_view_and_copy(HostSpace(), out);
  EXPECT_DOUBLE_EQ(o(0), 6 * y);
  EXPECT_DOUBLE_EQ(o(1), 6 * x);
  EXPECT_DOUBLE_EQ(o(2), 6.0);
}

TEST(JetSpec, RejectsUnsupportedRequests) {
  EXPECT_THROW(JetSpec(2, {{1, 0, 0}}), InputError);      // wrong length
  EXPECT_THROW(JetSpec(2, {{-1, 0}}), InputError);        // negative
  EXPECT_THROW(JetSpec(2, {{5, 0}}), InputError);         // order 5
  EXPECT_THROW(JetSpec(2, {{2, 1}}), InputError);         // mixed third order
  EXPECT_THROW(JetSpec(3, {{1, 1, 1}}), InputError);      // three axes
  EXPECT_THROW(JetSpec(0), InputError);
  try {
    JetSpec(2, {{2, 1}});
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("{2,1}"), std::string::npos) << e.what();
  }
}

TEST(JetSpec, EqualityComparesDirections) {
  EXPECT_EQ(JetSpec(2, {{2, 0}, {0, 2}}), JetSpec(2, {{0, 2}, {2, 0}, {1, 0}}));
  EXPECT_NE(JetSpec(2, {{2, 0}}), JetSpec(2, {{0, 2}}));
}

TEST(JetSpec, LayoutMirrorsDirections) {
  JetSpec s(2, {{3, 0}, {1, 1}});
  const JetLayout& l = s.layout();
  ASSERT_EQ(l.directions, s.direction_count());
  EXPECT_EQ(l.channels, s.channels());
  for (int d = 0; d < l.directions; ++d) {
    EXPECT_EQ(l.first_channel[d], s.direction(d).first_channel);
    EXPECT_EQ(l.order[d], s.direction(d).order);
  }
}

TEST(JetSpec, SeedingPutsPointsAndDirections) {
  JetSpec s(2, {{2, 0}, {1, 1}});
  const int n = 3;
  View2<Real> pts("pts", n, 2);
  auto hp = Kokkos::create_mirror_view(pts);
  for (int p = 0; p < n; ++p) {
    hp(p, 0) = 0.5 * p;
    hp(p, 1) = -1.0 + p;
  }
  Kokkos::deep_copy(pts, hp);
  View3<Real> jets("jets", n, s.channels(), 2);
  seed_input_jets(ExecSpace(), s, pts, jets);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), jets);
  for (int p = 0; p < n; ++p) {
    EXPECT_EQ(h(p, 0, 0), hp(p, 0));
    EXPECT_EQ(h(p, 0, 1), hp(p, 1));
    for (int d = 0; d < s.direction_count(); ++d) {
      const auto& dir = s.direction(d);
      for (int k = 1; k <= dir.order; ++k)
        for (int i = 0; i < 2; ++i) {
          const bool on = k == 1 && (dir.axis_a == i || dir.axis_b == i);
          EXPECT_EQ(h(p, s.channel(d, k), i), on ? 1.0 : 0.0) << "dir " << d << " k " << k;
        }
    }
  }
}

// Forward Laplacian: the axes carry z_1 only and one last channel L holds
// the sum of their second coefficients, read as Lap u = 2 L.
TEST(JetSpec, CollapsedLaplacianHasOneChannelForTheSum) {
  const JetSpec s(2, {{1, 0}}, {1, 0});
  EXPECT_EQ(s.channels(), 4);  // value, x:1, y:1, L (5 uncollapsed)
  EXPECT_EQ(s.laplacian_channel(), 3);
  EXPECT_EQ(s.max_order(), 2);
  EXPECT_EQ(s.laplacian_axes(), (std::vector<int>{0, 1}));
  EXPECT_EQ(s.describe(), "value + x0:1 + x1:1 + lap(x0,x1)");
  const auto r = s.laplacian_recipe({1, 0});
  ASSERT_EQ(r.terms, 1);
  EXPECT_EQ(r.channel[0], 3);
  EXPECT_EQ(r.weight[0], 2);
  EXPECT_FALSE(s.provides({2, 0}));  // u_xx alone is not carried
  EXPECT_THROW(s.recipe({2, 0}), InputError);
  const JetLayout& l = s.layout();
  EXPECT_EQ(l.laplacian_terms, 2);
  EXPECT_EQ(l.laplacian_first[0], s.channel(s.find_direction(0), 1));
  EXPECT_EQ(l.laplacian_first[1], s.channel(s.find_direction(1), 1));
  // Over a subset of the axes (the spatial Laplacian of a space-time problem).
  const JetSpec heat(3, {{0, 0, 1}}, {0, 1});
  EXPECT_EQ(heat.channels(), 5);
  EXPECT_EQ(heat.layout().laplacian_terms, 2);
  EXPECT_NE(heat, JetSpec(3, {{0, 0, 1}, {2, 0, 0}, {0, 2, 0}}));
}

// A second-order request along one of the axes (u_xx itself, or a mixed
// u_xy, whose polarisation needs z_2 along x and y) keeps every axis at
// order 2, and the Laplacian becomes the sum of their channels.
TEST(JetSpec, LaplacianBesideASecondDerivativeOfItsAxesDoesNotCollapse) {
  for (const MultiIndex& alpha : {MultiIndex{2, 0}, MultiIndex{1, 1}}) {
    const JetSpec s(2, {alpha}, {0, 1});
    EXPECT_EQ(s.laplacian_channel(), -1);
    const auto r = s.laplacian_recipe({0, 1});
    ASSERT_EQ(r.terms, 2);
    EXPECT_EQ(r.channel[0], s.channel(s.find_direction(0), 2));
    EXPECT_EQ(r.channel[1], s.channel(s.find_direction(1), 2));
    EXPECT_EQ(r.weight[0], 2);
    EXPECT_EQ(r.weight[1], 2);
  }
  // Another axis set than the collapsed one is read from per-axis channels.
  const JetSpec s(3, {{2, 0, 0}, {0, 2, 0}}, {0, 1});
  EXPECT_EQ(s.laplacian_recipe({0}).channel[0], s.channel(s.find_direction(0), 2));
  EXPECT_THROW(s.laplacian_recipe({2}), InputError);
}

TEST(JetSpec, RejectsBadLaplacianAxes) {
  EXPECT_THROW(JetSpec(2, {}, {0, 2}), InputError);
  EXPECT_THROW(JetSpec(2, {}, {1, 1}), InputError);
  EXPECT_THROW(JetSpec(2, {}, {-1}), InputError);
  const JetSpec s(2, {}, {0, 1});
  EXPECT_THROW(s.laplacian_recipe({}), InputError);
  EXPECT_THROW(s.laplacian_recipe({0, 0}), InputError);
}

// The Laplacian channel gets no seed: the inputs are straight lines.
TEST(JetSpec, SeedingLeavesTheLaplacianChannelZero) {
  const JetSpec s(2, {}, {0, 1});
  View2<Real> pts("pts", 2, 2);
  Kokkos::deep_copy(pts, 0.5);
  View3<Real> jets("jets", 2, s.channels(), 2);
  Kokkos::deep_copy(jets, 7.0);
  seed_input_jets(ExecSpace(), s, pts, jets);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), jets);
  for (int p = 0; p < 2; ++p)
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(h(p, s.laplacian_channel(), i), 0.0);
      EXPECT_EQ(h(p, s.channel(s.find_direction(i), 1), i), 1.0);
    }
}

}  // namespace
}  // namespace pinnkit
