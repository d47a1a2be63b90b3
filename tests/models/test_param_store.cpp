// ParamStore: block offsets and lookup, shaped views onto the flat storage,
// host I/O, initialisers (bounds, moments, reproducibility per seed).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "models/param_store.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

TEST(ParamStore, BlocksAreLaidOutInOrder) {
  ParamStore s;
  EXPECT_EQ(s.add("a.weight", {3, 4}), 0);
  EXPECT_EQ(s.add("a.bias", {3}, "bias_group"), 1);
  EXPECT_EQ(s.add("b.coef", {2, 2, 5}, "default", false), 2);
  s.finalize();
  EXPECT_EQ(s.size(), 12u + 3u + 20u);
  EXPECT_EQ(s.trainable_size(), 15u);
  EXPECT_EQ(s.block("a.weight").offset, 0u);
  EXPECT_EQ(s.block("a.bias").offset, 12u);
  EXPECT_EQ(s.block("b.coef").offset, 15u);
  EXPECT_EQ(s.block("a.bias").group, "bias_group");
  EXPECT_FALSE(s.block("b.coef").trainable);
  EXPECT_TRUE(s.has("a.bias"));
  EXPECT_FALSE(s.has("a.gain"));
  EXPECT_THROW(s.block("a.gain"), InternalError);
  EXPECT_EQ(s.params().extent(0), s.size());
  EXPECT_EQ(s.grads().extent(0), s.size());
}

TEST(ParamStore, RejectsMisuse) {
  ParamStore s;
  s.add("w", {2});
  EXPECT_THROW(s.add("w", {3}), InternalError);
  EXPECT_THROW(s.add("v", {0, 3}), InternalError);
  EXPECT_THROW(s.add("", {1}), InternalError);
  EXPECT_THROW(s.params(), InternalError);  // before finalize
  s.finalize();
  EXPECT_THROW(s.add("late", {1}), InternalError);
  EXPECT_THROW(s.params2("w"), InternalError);  // rank 1 block as rank 2
}

TEST(ParamStore, ShapedViewsAliasTheFlatStorage) {
  ParamStore s;
  s.add("first", {5});
  s.add("m", {2, 3});
  s.add("t", {2, 1, 2});
  s.finalize();
  std::vector<double> v(s.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5 * i;
  s.params_from_host(v);
  auto m = Kokkos::create_mirror_view_and_copy(HostSpace(), s.params2("m"));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_EQ(m(i, j), v[5 + i * 3 + j]);
  auto t = Kokkos::create_mirror_view_and_copy(HostSpace(), s.params3("t"));
  EXPECT_EQ(t(1, 0, 1), v[11 + 3]);
  // Writing through a block view lands in the flat gradient.
  Kokkos::deep_copy(s.grads("m"), Real(2));
  const auto g = s.grads_to_host();
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_EQ(g[i], (i >= 5 && i < 11) ? 2.0 : 0.0);
  s.zero_grads();
  for (double x : s.grads_to_host()) EXPECT_EQ(x, 0.0);
  EXPECT_EQ(s.block_to_host("m"), std::vector<double>(v.begin() + 5, v.begin() + 11));
  s.block_from_host("first", {9, 8, 7, 6, 5});
  EXPECT_EQ(s.params_to_host()[3], 6.0);
}

TEST(ParamStore, InitialisersRespectTheirBounds) {
  ParamStore s;
  s.add("g", {64, 32});
  s.add("k", {64, 32});
  s.add("c", {10});
  s.add("u", {1000});
  s.add("n", {20000});
  s.finalize();
  s.initialize("g", Initializer::glorot_uniform(32, 64), 1);
  s.initialize("k", Initializer::kaiming_uniform(32), 1);
  s.initialize("c", Initializer::constant(0.25), 1);
  s.initialize("u", Initializer::uniform(2, 3), 1);
  s.initialize("n", Initializer::normal(1, 0.1), 1);
  const double glorot = std::sqrt(6.0 / 96), kaiming = std::sqrt(2.0) * std::sqrt(3.0 / 32);
  double gmax = 0, kmax = 0;
  for (double x : s.block_to_host("g")) gmax = std::max(gmax, std::abs(x));
  for (double x : s.block_to_host("k")) kmax = std::max(kmax, std::abs(x));
  EXPECT_LE(gmax, glorot);
  EXPECT_GT(gmax, 0.95 * glorot);  // 2048 draws come close to the bound
  EXPECT_LE(kmax, kaiming);
  EXPECT_GT(kmax, 0.95 * kaiming);
  for (double x : s.block_to_host("c")) EXPECT_EQ(x, 0.25);
  for (double x : s.block_to_host("u")) {
    EXPECT_GE(x, 2.0);
    EXPECT_LT(x, 3.0);
  }
  double mean = 0, var = 0;
  const auto n = s.block_to_host("n");
  for (double x : n) mean += x / n.size();
  for (double x : n) var += (x - mean) * (x - mean) / n.size();
  EXPECT_NEAR(mean, 1.0, 0.005);
  EXPECT_NEAR(std::sqrt(var), 0.1, 0.005);
}

TEST(ParamStore, InitialisationIsReproduciblePerSeedAndBlock) {
  auto make = [](std::uint64_t seed) {
    auto s = std::make_unique<ParamStore>();
    s->add("layer0.weight", {16, 8});
    s->add("layer1.weight", {16, 8});
    s->finalize();
    s->initialize("layer0.weight", Initializer::glorot_uniform(8, 16), seed);
    s->initialize("layer1.weight", Initializer::glorot_uniform(8, 16), seed);
    return s;
  };
  auto a = make(7), b = make(7), c = make(8);
  EXPECT_EQ(a->params_to_host(), b->params_to_host());
  EXPECT_NE(a->params_to_host(), c->params_to_host());
  EXPECT_NE(a->block_to_host("layer0.weight"), a->block_to_host("layer1.weight"));
  // The stream is the host RNG of (block name, seed), whatever the thread count.
  HostRng rng("layer1.weight", 7);
  const double bound = std::sqrt(6.0 / 24);
  const auto w = a->block_to_host("layer1.weight");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(w[i], static_cast<double>(Real(rng.uniform(-bound, bound))));
}

TEST(GradCheckHelper, FiniteDifferenceStencilsAreAccurate) {
  PINNKIT_REQUIRE_DOUBLE();
  // The helper the layer tests rely on: exact derivatives of sin(2x) cos(y).
  const testing::ScalarFunction f = [](const std::vector<double>& x) {
    return std::sin(2 * x[0]) * std::cos(x[1]);
  };
  const std::vector<double> x{0.3, -0.4};
  const double s = std::sin(0.6), c = std::cos(0.6), cy = std::cos(-0.4), sy = std::sin(-0.4);
  EXPECT_NEAR(testing::fd_derivative(f, x, {1, 0}), 2 * c * cy, 1e-10);
  EXPECT_NEAR(testing::fd_derivative(f, x, {2, 0}), -4 * s * cy, 1e-8);
  EXPECT_NEAR(testing::fd_derivative(f, x, {3, 0}), -8 * c * cy, 1e-6);
  EXPECT_NEAR(testing::fd_derivative(f, x, {4, 0}), 16 * s * cy, 1e-5);
  EXPECT_NEAR(testing::fd_derivative(f, x, {1, 1}), -2 * c * sy, 1e-9);
  EXPECT_NEAR(testing::fd_derivative(f, x, {0, 2}), -s * cy, 1e-8);
}

}  // namespace
}  // namespace pinnkit::models
