// SVD-form LoRA (adapters/svd_lora_dense.hpp, svd_lora_kan.hpp): the
// gradients of P, s and Q against central differences at every jet order,
// with one component pruned (its s gets exactly no gradient, as the
// differences of a function that ignores it say); the layer is unchanged at
// initialisation (s = 0), ignores a pruned s, and merges exactly.
//
// Deliberate bugs these tests caught when tried:
// - the mask left out of dL/ds (ds_i += acc instead of m_i acc): the
//   dense and KAN gradient checks fail on the pruned component's s.
// - dL/dP without diag(s) (dP += G Q^T): the gradient checks fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "adapters/adapter_set.hpp"
#include "adapters/svd_lora_dense.hpp"
#include "adapters/svd_lora_kan.hpp"
#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"

namespace pinnkit::adapters {
namespace {

using testing::check_jet_loss_gradient;
using testing::jets_to_device;
using testing::layer_differentiable;
using testing::random_values;

const std::vector<std::vector<MultiIndex>> specs_by_order{
    {}, {{1, 0}}, {{2, 0}, {0, 2}, {1, 1}}, {{0, 3}}, {{4, 0}, {1, 1}}};

/// Random P, s, Q (s away from 0) and component 1 pruned.
void randomize_and_prune(models::ParamStore& store, const Adapter& a, std::uint64_t seed) {
  const SvdTriplet t = a.structure().svd.at(0);
  for (const auto& name : {t.p, t.s, t.q}) store.block_from_host(name, random_values(store.block(name).size(), -1, 1, seed++));
  std::vector<double> mask(store.block(t.mask).size(), 1.0);
  mask.at(1) = 0.0;
  store.block_from_host(t.mask, mask);
}

struct DenseFixture {
  models::ParamStore store;
  SvdLoraDense layer{"svd", 4, 3, "xavier", true, 3};
  DenseFixture() {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(5);
    store.block_from_host("svd.bias", random_values(3, -1, 1, 6));
  }
};

models::KanOptions kan_options() {
  models::KanOptions o;
  o.grid = 4;
  o.degree = 5;
  return o;
}

struct KanFixture {
  models::ParamStore store;
  SvdLoraKan layer{"kan", 3, 2, kan_options(), 2};
  KanFixture() {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(7);
    testing::set_grids(store, layer, -1.0, 1.0, 0.2);
  }
};

std::vector<double> kan_jets(const models::KanLayer& layer, const JetSpec& spec, int n, std::uint64_t seed) {
  const std::vector<double> x = testing::points_away_from_knots(layer, n, 0.05, seed);
  const auto r = random_values(static_cast<std::size_t>(n) * spec.channels() * layer.in_features(), -1, 1, seed + 1);
  std::vector<double> v(r.size());
  const int c = spec.channels(), f = layer.in_features();
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int p = 0; p < f; ++p) v[(i * c + ch) * f + p] = ch == 0 ? x[i * f + p] : r[(i * c + ch) * f + p];
  return v;
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace

TEST(SvdLora, DenseGradientsMatchCentralDifferencesAtEveryJetOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  for (const auto& ds : specs_by_order) {
    DenseFixture fx;
    randomize_and_prune(fx.store, fx.layer, 11);
    EXPECT_FALSE(fx.store.block("svd.weight").trainable);
    EXPECT_FALSE(fx.store.block("svd.svd_mask").trainable);
    const JetSpec spec(2, ds);
    const int n = 3;
    auto in = jets_to_device(random_values(static_cast<std::size_t>(n) * spec.channels() * 4, -1, 1, 21), n,
                             spec.channels(), 4);
    EXPECT_TRUE(check_jet_loss_gradient(fx.store, layer_differentiable(fx.layer, spec, in), 8)) << spec.describe();
    if (ds.size() == 1 && ds[0][0] == 1) {  // and W0's when it is unfrozen
      fx.store.set_trainable("svd.weight", true);
      EXPECT_TRUE(check_jet_loss_gradient(fx.store, layer_differentiable(fx.layer, spec, in), 9));
    }
  }
}

TEST(SvdLora, PrunedComponentGetsNoGradientAndChangesNothing) {
  DenseFixture fx;
  randomize_and_prune(fx.store, fx.layer, 31);
  const JetSpec spec(2, {{2, 0}});
  auto in = jets_to_device(random_values(2 * spec.channels() * 4, -1, 1, 32), 2, spec.channels(), 4);
  auto net = layer_differentiable(fx.layer, spec, in);
  const auto before = net.forward();
  auto s = fx.store.block_to_host("svd.svd_s");
  s[1] += 5.0;  // the pruned one
  fx.store.block_from_host("svd.svd_s", s);
  EXPECT_EQ(max_abs_diff(net.forward(), before), 0.0);
  fx.store.zero_grads();
  net.backward(random_values(before.size(), -1, 1, 33));
  const auto g = fx.store.grads_to_host();
  const auto& sb = fx.store.block("svd.svd_s");
  EXPECT_EQ(g[sb.offset + 1], 0.0);
  EXPECT_NE(g[sb.offset + 0], 0.0);
}

TEST(SvdLora, KanGradientsMatchCentralDifferencesAtEveryJetOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order) {
    SCOPED_TRACE("jet order " + std::to_string(order));
    KanFixture fx;
    randomize_and_prune(fx.store, fx.layer, 40 + order);
    EXPECT_FALSE(fx.store.block("kan.coef").trainable);
    const JetSpec spec(2, testing::derivatives_up_to(order));
    const int n = 3;
    auto in = jets_to_device(kan_jets(fx.layer, spec, n, 50 + order), n, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(fx.store, layer_differentiable(fx.layer, spec, in), 60 + order));
  }
}

TEST(SvdLora, StartsAsTheBaseLayerAndMergesExactly) {
  DenseFixture fx;
  const SvdTriplet t = fx.layer.structure().svd.at(0);
  for (double v : fx.store.block_to_host(t.s)) EXPECT_EQ(v, 0.0);
  for (double v : fx.store.block_to_host(t.mask)) EXPECT_EQ(v, 1.0);
  double p_norm = 0;
  for (double v : fx.store.block_to_host(t.p)) p_norm += v * v;
  EXPECT_GT(p_norm, 0.0);  // random P (and Q): s alone moves first
  EXPECT_LT(std::sqrt(p_norm / 9), 0.1);  // small, N(0, 0.02^2)
  models::ParamStore plain_store;
  models::Dense plain("svd", 4, 3, "xavier", true);
  plain.register_params(plain_store);
  plain_store.finalize();
  plain_store.block_from_host("svd.weight", fx.store.block_to_host("svd.weight"));
  plain_store.block_from_host("svd.bias", fx.store.block_to_host("svd.bias"));
  const JetSpec spec(2, {{1, 0}, {0, 2}});
  auto in = jets_to_device(random_values(3 * spec.channels() * 4, -1, 1, 71), 3, spec.channels(), 4);
  EXPECT_EQ(max_abs_diff(layer_differentiable(fx.layer, spec, in).forward(),
                         layer_differentiable(plain, spec, in).forward()),
            0.0);
  randomize_and_prune(fx.store, fx.layer, 72);
  auto net = layer_differentiable(fx.layer, spec, in);
  const auto before = net.forward();
  fx.layer.merge(ExecSpace());
  EXPECT_LT(max_abs_diff(net.forward(), before), 1e-5);
  fx.layer.unmerge(ExecSpace());
  EXPECT_LT(max_abs_diff(net.forward(), before), 1e-5);
}

TEST(SvdLora, RegistryEntryAdaptsDenseAndKanLayersWithCappedRank) {
  const auto& entry = adapter_registry().get("svd_lora", "t.yaml");
  models::Dense dense("d", 2, 5, "xavier", true);
  models::KanLayer kan("k", 2, 3, kan_options());
  EXPECT_TRUE(entry.capabilities.applies_to(dense));
  EXPECT_TRUE(entry.capabilities.applies_to(kan));
  AdapterSpec spec;
  spec.type = "svd_lora";
  spec.rank = 50;
  EXPECT_EQ(dynamic_cast<SvdLoraDense&>(*entry.build(dense, spec, "t.yaml").adapter).rank(), 2);
  EXPECT_EQ(dynamic_cast<SvdLoraKan&>(*entry.build(kan, spec, "t.yaml").adapter).rank(), 3);
  spec.rank = 0;
  EXPECT_THROW(entry.build(dense, spec, "t.yaml"), InputError);
}

TEST(SvdLora, StateHoldsFactorsAndMask) {
  DenseFixture fx;
  randomize_and_prune(fx.store, fx.layer, 81);
  const AdapterState st = fx.layer.state();
  EXPECT_EQ(st.attrs.at("svd.type"), "svd_lora");
  EXPECT_EQ(st.arrays.at("svd.svd_P").shape, (std::vector<int>{3, 3}));
  EXPECT_EQ(st.arrays.at("svd.svd_Q").shape, (std::vector<int>{3, 4}));
  EXPECT_EQ(st.arrays.at("svd.svd_mask").values, (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(st.arrays.at("svd.svd_s").values, fx.store.block_to_host("svd.svd_s"));
}

}  // namespace pinnkit::adapters
