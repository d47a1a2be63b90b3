// LoRA layer gradients vs central finite differences: dL/dB, dL/dA (both
// gradient paths), the frozen base when unfrozen, the input adjoint, and the
// input derivatives of LoRA networks at every derivative order 0..4 (mixed
// second derivatives included).
#include <gtest/gtest.h>

#include "support/lora_fixtures.hpp"

namespace pinnkit::adapters {
namespace {

using testing_support::LoraLayer;
using testing_support::LoraNet;

const std::vector<std::vector<MultiIndex>> specs_by_order{
    {}, {{1, 0}}, {{2, 0}, {0, 2}, {1, 1}}, {{0, 3}}, {{4, 0}, {1, 1}}};

View3<Real> random_jets(const JetSpec& spec, int n, int f, std::uint64_t seed) {
  return testing::jets_to_device(
      testing::random_values(static_cast<std::size_t>(n) * spec.channels() * f, -1, 1, seed), n,
      spec.channels(), f);
}

TEST(LoraDense, FactorGradientsMatchFiniteDifferencesOnBothPaths) {
  PINNKIT_REQUIRE_DOUBLE();
  for (auto path : {LoraGradientPath::full, LoraGradientPath::factored})
    for (const auto& ds : specs_by_order) {
      LoraLayer fx(4, 3, 2, path);
      const JetSpec spec(2, ds);
      const int n = 3;
      auto in = random_jets(spec, n, 4, 21);
      EXPECT_TRUE(testing::check_jet_loss_gradient(fx.store, testing::layer_differentiable(fx.layer, spec, in), 8))
          << spec.describe() << (path == LoraGradientPath::full ? " full G" : " factored");
    }
}

TEST(LoraDense, FrozenBaseGetsNoGradientUnfrozenBaseGetsTheRightOne) {
  PINNKIT_REQUIRE_DOUBLE();
  LoraLayer fx(3, 4, 2, LoraGradientPath::automatic);
  EXPECT_FALSE(fx.store.block("lora.weight").trainable);
  EXPECT_FALSE(fx.store.block("lora.bias").trainable);
  const JetSpec spec(2, {{2, 0}, {1, 1}});
  auto in = random_jets(spec, 2, 3, 22);
  auto net = testing::layer_differentiable(fx.layer, spec, in);
  fx.store.zero_grads();
  net.backward(testing::random_values(net.forward().size(), -1, 1, 3));
  const auto grads = fx.store.grads_to_host();
  const auto& w = fx.store.block("lora.weight");
  for (std::size_t i = w.offset; i < w.offset + w.size(); ++i) EXPECT_EQ(grads[i], 0.0) << i;
  const auto& b = fx.store.block("lora.lora_B");
  double b_norm = 0;
  for (std::size_t i = b.offset; i < b.offset + b.size(); ++i) b_norm += grads[i] * grads[i];
  EXPECT_GT(b_norm, 0.0);
  // The gradient of W0 is G, the same as for the effective weight: unfreeze and check all.
  fx.store.set_trainable("lora.weight", true);
  fx.store.set_trainable("lora.bias", true);
  EXPECT_TRUE(testing::check_jet_loss_gradient(fx.store, net, 9));
}

TEST(LoraDense, InputAdjointMatchesFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  LoraLayer fx(4, 3, 2, LoraGradientPath::factored);
  const JetSpec spec(2, {{3, 0}, {1, 1}});
  const int n = 2;
  EXPECT_TRUE(testing::check_input_adjoint(
      fx.layer, spec, testing::random_values(static_cast<std::size_t>(n) * spec.channels() * 4, -1, 1, 5), n, 6));
}

TEST(LoraNetwork, InputDerivativesMatchFiniteDifferencesAtEveryOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  LoraNet net({5, 5}, 2);
  net.randomize_factors(30);
  const std::vector<MultiIndex> ds{{1, 0}, {0, 1}, {2, 0}, {0, 2}, {1, 1}, {3, 0}, {0, 3}, {4, 0}, {0, 4}};
  EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*net.model), 2, 1, ds,
                                               {0.1, 0.2, -0.4, 0.9, 0.7, -0.3}));
}

TEST(LoraNetwork, FactorGradientsMatchFiniteDifferencesAtEveryOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  for (const auto& ds : specs_by_order) {
    LoraNet net({5, 4}, 2);
    net.randomize_factors(40);
    const JetSpec spec(2, ds);
    EXPECT_TRUE(testing::check_jet_loss_gradient(
        net.store, testing::model_differentiable(*net.model, spec, {0.1, 0.2, -0.4, 0.9, 0.7, -0.3}), 3))
        << spec.describe();
  }
}

}  // namespace
}  // namespace pinnkit::adapters
