// LoRA on KAN layers (adapters/lora_kan.hpp): factor gradients vs central
// differences at every jet order 1..4 (and C0's when unfrozen), the merged
// and unmerged layers agree, and the balanced_random / spectral inits leave
// the layer unchanged with invertible, balanced factors.
//
// Deliberate bugs these tests caught when tried (docs/methods.md 4):
// - the scale s dropped from dL/dB = s G A^T: the gradient check fails.
// - the G buffer not zeroed per backward (it accumulates): the gradient check fails.
// And tests/io/test_init_from_cli.cpp caught balanced_random without the shift
// of W0 (the fine-tune's first loss differs from the pretrain's last).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <type_traits>

#include "adapters/lora_kan.hpp"
#include "core/rng.hpp"
#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::adapters {
namespace {

using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::jets_to_device;
using testing::layer_differentiable;

models::KanOptions kan_options(int degree) {
  models::KanOptions o;
  o.grid = 4;
  o.degree = degree;
  return o;
}

struct TestLoraKan {
  models::ParamStore store;
  LoraKan layer;
  TestLoraKan(int in, int out, int rank, LoraInit init, std::uint64_t seed, int degree = 5)
      : layer("kan", in, out, kan_options(degree), LoraSettings{rank, 3.0, init, LoraGradientPath::automatic}) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(seed);
    testing::set_grids(store, layer, -1.0, 1.0, 0.2);
  }
  void randomize_factors(std::uint64_t seed) {
    for (const auto& name : layer.owned_blocks())
      store.block_from_host(name, testing::random_values(store.block(name).size(), -1, 1, seed++));
  }
};

std::vector<double> random_jets(const models::KanLayer& layer, const JetSpec& spec, int n, std::uint64_t seed) {
  const std::vector<double> x = testing::points_away_from_knots(layer, n, 0.05, seed);
  HostRng rng("jets", seed);
  const int c = spec.channels(), f = layer.in_features();
  std::vector<double> v(static_cast<std::size_t>(n) * c * f);
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int p = 0; p < f; ++p) v[(i * c + ch) * f + p] = ch == 0 ? x[i * f + p] : rng.uniform(-1.0, 1.0);
  return v;
}

std::vector<double> forward(TestLoraKan& t, const JetSpec& spec, const std::vector<double>& jets, int n) {
  auto net = layer_differentiable(t.layer, spec, jets_to_device(jets, n, spec.channels(), t.layer.in_features()));
  return net.forward();
}

}  // namespace

TEST(LoraKan, FactorGradientsMatchCentralDifferencesAtEveryJetOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order) {
    SCOPED_TRACE("jet order " + std::to_string(order));
    TestLoraKan t(3, 2, 2, LoraInit::standard, 300 + order);
    t.randomize_factors(10 * order);
    EXPECT_FALSE(t.store.block("kan.coef").trainable);
    const JetSpec spec(2, derivatives_up_to(order));
    const int n = 3;
    auto in = jets_to_device(random_jets(t.layer, spec, n, 40 + order), n, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 50 + order));
    if (order == 2) {  // and C0's gradient when it is unfrozen
      t.store.set_trainable("kan.coef", true);
      EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 60));
    }
  }
}

TEST(LoraKan, MergedAndUnmergedLayersAgree) {
  TestLoraKan t(3, 2, 2, LoraInit::standard, 7);
  t.randomize_factors(3);
  const JetSpec spec(2, derivatives_up_to(2));
  const auto jets = random_jets(t.layer, spec, 4, 9);
  const auto before = forward(t, spec, jets, 4);
  t.layer.merge(ExecSpace());
  const auto merged = forward(t, spec, jets, 4);
  t.layer.unmerge(ExecSpace());
  double scale = 0;
  for (double v : before) scale = std::max(scale, std::abs(v));
  ASSERT_GT(scale, 0.0);
  const double tol = std::is_same<Real, double>::value ? 1e-12 * scale : 1e-5 * scale;
  for (std::size_t i = 0; i < before.size(); ++i) EXPECT_NEAR(merged[i], before[i], tol);
}

TEST(LoraKan, GradientInitsKeepTheLayerAndGiveInvertibleFactors) {
  for (LoraInit init : {LoraInit::balanced_random, LoraInit::spectral}) {
    SCOPED_TRACE(lora_inits()[static_cast<int>(init)]);
    TestLoraKan t(3, 4, 2, init, 11);
    const JetSpec spec(2, derivatives_up_to(1));
    const int n = 5;
    const auto jets = random_jets(t.layer, spec, n, 12);
    const auto before = forward(t, spec, jets, n);
    ASSERT_TRUE(t.layer.wants_gradient_init());
    t.layer.capture_gradient(true);
    auto net = layer_differentiable(t.layer, spec, jets_to_device(jets, n, spec.channels(), 3));
    net.forward();
    t.store.zero_grads();
    net.backward(testing::random_values(before.size(), -1, 1, 13));
    t.layer.capture_gradient(false);
    t.layer.init_from_gradient(ExecSpace());
    const auto after = forward(t, spec, jets, n);
    for (std::size_t i = 0; i < before.size(); ++i) EXPECT_NEAR(after[i], before[i], testing::tol_floor(1e-10, 1e-13));
    const int m = 4, r = 2, c = t.layer.matrix_cols();
    const auto bv = t.store.block_to_host(t.layer.b_block()), av = t.store.block_to_host(t.layer.a_block());
    Eigen::MatrixXd b(m, r), a(r, c);
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < r; ++k) b(i, k) = bv[i * r + k];
    for (int k = 0; k < r; ++k)
      for (int j = 0; j < c; ++j) a(k, j) = av[k * c + j];
    const Eigen::MatrixXd p = b.transpose() * b, q = a * a.transpose();
    EXPECT_LT((p - q).norm(), testing::tol(1e-12));
    EXPECT_GT(p.eigenvalues().real().minCoeff(), 1e-6);
  }
}

TEST(LoraKan, RegistryEntryAppliesToKanLayersOnly) {
  const auto& entry = adapter_registry().get("lora_kan", "t.yaml");
  models::ParamStore store;
  models::KanLayer kan("k", 2, 3, kan_options(3));
  EXPECT_TRUE(entry.capabilities.applies_to(kan));
  const auto& lora = adapter_registry().get("lora", "t.yaml");
  EXPECT_FALSE(lora.capabilities.applies_to(kan));
  AdapterSpec spec;
  spec.type = "lora_kan";
  spec.rank = 50;  // capped at min(n_out, n_in K) = 3
  auto attached = entry.build(kan, spec, "t.yaml");
  EXPECT_EQ(dynamic_cast<LoraKan&>(*attached.adapter).rank(), 3);
  spec.init = "bogus";
  EXPECT_THROW(entry.build(kan, spec, "t.yaml"), InputError);
}

}  // namespace pinnkit::adapters
