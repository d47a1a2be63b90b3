// Dense layer: y = W z on every channel, bias on channel 0 only; parameter
// gradients, input adjoint and weight_gradient() vs finite differences.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "models/dense.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

struct DenseFixture {
  ParamStore store;
  Dense dense{"d", 3, 2};
  DenseFixture() {
    dense.register_params(store);
    store.finalize();
    dense.initialize_params(3);
    store.block_from_host("d.bias", {0.5, -1.5});
  }
};

TEST(Dense, BiasEntersChannelZeroOnly) {
  PINNKIT_REQUIRE_DOUBLE();
  DenseFixture fx;
  const JetSpec spec(2, {{2, 0}, {1, 1}});
  const int n = 4, c = spec.channels();
  const auto in_host = testing::random_values(static_cast<std::size_t>(n) * c * 3, -1, 1, 2);
  View3<Real> in = testing::jets_to_device(in_host, n, c, 3);
  View3<Real> out("out", n, c, 2);
  fx.dense.forward(ExecSpace(), spec, in, out);
  const auto y = testing::to_host(out);
  const auto w = fx.store.block_to_host("d.weight");
  const double b[2] = {0.5, -1.5};
  for (int p = 0; p < n; ++p)
    for (int ch = 0; ch < c; ++ch)
      for (int j = 0; j < 2; ++j) {
        double s = ch == 0 ? b[j] : 0.0;
        for (int i = 0; i < 3; ++i) s += w[j * 3 + i] * in_host[(p * c + ch) * 3 + i];
        EXPECT_NEAR(y[(p * c + ch) * 2 + j], s, 1e-14) << "point " << p << " channel " << ch;
      }
}

TEST(Dense, ParameterGradientsMatchFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  DenseFixture fx;
  const JetSpec spec(2, {{4, 0}, {1, 1}});
  const int n = 3;
  View3<Real> in = testing::jets_to_device(
      testing::random_values(static_cast<std::size_t>(n) * spec.channels() * 3, -1, 1, 4), n,
      spec.channels(), 3);
  EXPECT_TRUE(testing::check_jet_loss_gradient(
      fx.store, testing::layer_differentiable(fx.dense, spec, in), 9));
}

TEST(Dense, InputAdjointMatchesFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  DenseFixture fx;
  const JetSpec spec(2, {{3, 0}, {0, 2}});
  const int n = 2;
  EXPECT_TRUE(testing::check_input_adjoint(
      fx.dense, spec,
      testing::random_values(static_cast<std::size_t>(n) * spec.channels() * 3, -1, 1, 5), n,
      6));
}

TEST(Dense, WeightGradientIsWhatBackwardAccumulates) {
  PINNKIT_REQUIRE_DOUBLE();
  DenseFixture fx;
  const JetSpec spec(1, {{2}});
  const int n = 5, c = spec.channels();
  View3<Real> in = testing::jets_to_device(testing::random_values(n * c * 3, -1, 1, 7), n, c, 3);
  View3<Real> out("out", n, c, 2);
  View3<Real> adj = testing::jets_to_device(testing::random_values(n * c * 2, -1, 1, 8), n, c, 2);
  fx.dense.forward(ExecSpace(), spec, in, out);
  Kokkos::deep_copy(fx.store.grads(), Real(0.25));  // accumulation, not overwrite
  fx.dense.backward_params_only(ExecSpace(), spec, adj);
  View2<Real> G("G", 2, 3);
  fx.dense.weight_gradient(ExecSpace(), adj, Real(1), Real(0), G);
  const auto g = testing::to_host(G);
  const auto acc = fx.store.grads_to_host();
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(acc[i], 0.25 + g[i], 1e-14);
  // Frozen weight: no weight gradient, bias still accumulates.
  fx.store.set_trainable("d.weight", false);
  fx.store.zero_grads();
  fx.dense.backward_params_only(ExecSpace(), spec, adj);
  const auto frozen = fx.store.grads_to_host();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(frozen[i], 0.0);
  EXPECT_NE(frozen[6], 0.0);
}

TEST(Dense, ShapeChecksNameTheLayer) {
  DenseFixture fx;
  const JetSpec spec(1, {{1}});
  View3<Real> in("in", 2, spec.channels(), 4), out("out", 2, spec.channels(), 2);
  try {
    fx.dense.forward(ExecSpace(), spec, in, out);
    FAIL() << "wrong input width accepted";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("layer d"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Dense("d", 2, 2, "he"), InputError);
}

}  // namespace
}  // namespace pinnkit::models
