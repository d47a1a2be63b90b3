// LoTRA on KAN layers (methods.md 6): gradients of every Tucker factor vs
// central differences at jet orders 1..4 (mixed u_xy included) on a layer and
// on a network, the network unchanged at step 0 (G = 0), the merged tensor
// equal to the factored evaluation and A0 + T, the per-component learning
// rates (eta / n_in for U_in), and a deliberate bug in each adjoint
// contraction caught by the gradient check.
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/adapter_set.hpp"
#include "adapters/lotra_kan.hpp"
#include "core/error.hpp"
#include "models/make_model.hpp"
#include "solvers/optimizer_entries.hpp"
#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/lotra_fixtures.hpp"
#include "support/tucker_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::adapters {
namespace {

using models::KanOptions;
using models::ParamStore;
using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::jets_to_device;
using testing::kan_random_jets;
using testing::layer_differentiable;
using testing::to_host;

KanOptions options(int degree, bool base = true, bool scale = true) {
  return lotra_testing::lotra_options(degree, base, scale);
}
using lotra_testing::LotraLayer;
using lotra_testing::LotraNet;
using lotra_testing::randomize;

const std::vector<double> points{0.1, 0.2, -0.4, 0.9, 0.7, -0.3};

TEST(LotraKan, FactorGradientsMatchCentralDifferencesAtOrders1To4) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order)
    for (bool base : {order % 2 == 1}) {  // with and without the base branch, alternating (keeps the test fast)
      SCOPED_TRACE("order " + std::to_string(order) + (base ? " base" : " no base"));
      LotraLayer t(3, 2, options(order + 1, base, base), {2, 2, 3}, 20 + order);
      const JetSpec spec(2, derivatives_up_to(order));
      const int n = 3;
      View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.05, 40 + order), n, spec.channels(), 3);
      EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 50 + order));
    }
}

TEST(LotraKan, UnfrozenBaseTensorGetsTheEffectiveTensorsGradient) {
  PINNKIT_REQUIRE_DOUBLE();
  LotraLayer t(3, 2, options(3), {2, 2, 2}, 7);
  EXPECT_FALSE(t.store.block("kan.coef").trainable);
  EXPECT_FALSE(t.store.block("kan.base").trainable);
  EXPECT_FALSE(t.store.block("kan.scale").trainable);
  for (const std::string b : {"kan.coef", "kan.base", "kan.scale"}) t.store.set_trainable(b, true);
  const JetSpec spec(2, derivatives_up_to(2));
  View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, 3, 0.05, 8), 3, spec.channels(), 3);
  EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 9));
}

TEST(LotraNetwork, FactorGradientsMatchCentralDifferencesAtOrders1To4) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order) {
    LotraNet net(5, "component");
    std::uint64_t seed = 70;
    for (const auto& b : net.adapters.owned_blocks()) randomize(net.store, b, seed++, -0.5, 0.5);
    const JetSpec spec(2, derivatives_up_to(order));
    EXPECT_TRUE(check_jet_loss_gradient(net.store, testing::model_differentiable(*net.model, spec, points), 3))
        << spec.describe();
  }
}

TEST(LotraNetwork, IsUnchangedAtStepZero) {
  LotraNet plain(4, "component", false);
  LotraNet lotra(4, "component");
  // Same pretrained weights in both (a KAN's coef after init is small noise: randomise it).
  std::uint64_t seed = 5;
  for (const auto& b : plain.store.blocks()) {
    if (b.group == "kan_grid") continue;
    randomize(plain.store, b.name, seed++);
    lotra.store.block_from_host(b.name, plain.store.block_to_host(b.name));
  }
  for (const auto& b : lotra.adapters.owned_blocks()) {
    double norm = 0;
    for (double v : lotra.store.block_to_host(b)) norm += std::abs(v);
    if (b.find("lotra_core") != std::string::npos)
      EXPECT_EQ(norm, 0.0) << b;
    else
      EXPECT_GT(norm, 0.0) << b;
  }
  const JetSpec spec(2, derivatives_up_to(4));
  const auto y0 = testing::model_differentiable(*plain.model, spec, points).forward();
  const auto y1 = testing::model_differentiable(*lotra.model, spec, points).forward();
  ASSERT_EQ(y0.size(), y1.size());
  for (std::size_t i = 0; i < y0.size(); ++i) EXPECT_EQ(y0[i], y1[i]) << i;
}

TEST(LotraKan, MergedTensorEqualsTheFactoredEvaluation) {
  LotraLayer t(3, 4, options(3), {3, 2, 4}, 31);
  const int n = 4, K = t.layer.basis_count();
  const JetSpec spec(2, derivatives_up_to(3));
  View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.0, 32), n, spec.channels(), 3);
  View3<Real> y("y", n, spec.channels(), 4);
  t.layer.forward(ExecSpace(), spec, in, y);
  const auto factored = to_host(y);
  const auto a0 = t.store.block_to_host("kan.coef");
  const auto T = testing::host_tucker(t.store.block_to_host("kan.lotra_core"), t.store.block_to_host("kan.lotra_out"),
                                      t.store.block_to_host("kan.lotra_in"), t.store.block_to_host("kan.lotra_basis"),
                                      4, 3, K, 3, 2, 4);
  t.layer.merge(ExecSpace());
  const auto merged_coef = t.store.block_to_host("kan.coef");
  double t_norm = 0;
  for (std::size_t i = 0; i < T.size(); ++i) {
    EXPECT_NEAR(merged_coef[i], a0[i] + T[i], testing::tol(1e-13) * (1 + std::abs(a0[i] + T[i]))) << i;
    t_norm += std::abs(T[i]);
  }
  EXPECT_GT(t_norm, 0.0);
  t.layer.forward(ExecSpace(), spec, in, y);
  const auto merged = to_host(y);
  for (std::size_t i = 0; i < merged.size(); ++i)
    EXPECT_NEAR(merged[i], factored[i], testing::tol(1e-12) * (1 + std::abs(factored[i]))) << i;
  t.layer.unmerge(ExecSpace());
  const auto back = t.store.block_to_host("kan.coef");
  for (std::size_t i = 0; i < back.size(); ++i) EXPECT_NEAR(back[i], a0[i], testing::tol(1e-13) * (1 + std::abs(a0[i]))) << i;
}

TEST(LotraNetwork, ComponentScalingGivesUinEtaOverNinSharedGivesOneEta) {
  LotraNet component(3, "component"), shared(3, "shared");
  // kan0: 2 -> 3 (n_in 2), kan1: 3 -> 1 (n_in 3).
  EXPECT_DOUBLE_EQ(component.store.block("kan0.lotra_in").lr_factor, 1.0 / 2);
  EXPECT_DOUBLE_EQ(component.store.block("kan1.lotra_in").lr_factor, 1.0 / 3);
  for (const std::string g : {"core", "out", "basis"}) {
    EXPECT_DOUBLE_EQ(component.store.block("kan0.lotra_" + g).lr_factor, 1.0);
    EXPECT_EQ(component.store.block("kan1.lotra_" + g).group, "lotra_" + g);
  }
  for (const auto& b : shared.store.blocks()) EXPECT_DOUBLE_EQ(b.lr_factor, 1.0) << b.name;
  // The optimizer's per-entry factors: group_lr times the block's factor.
  const solvers::TrainableEntries entries(component.store);
  const auto f = to_host(entries.lr_factors({{"lotra_in", 4.0}, {"lotra_core", 2.0}}));
  ASSERT_EQ(static_cast<std::size_t>(entries.size()), component.store.trainable_size());
  std::size_t k = 0;
  for (const auto& b : component.store.blocks()) {
    if (!b.trainable) continue;
    const double want = b.name == "kan0.lotra_in"   ? 2.0
                        : b.name == "kan1.lotra_in" ? 4.0 / 3
                        : b.group == "lotra_core"   ? 2.0
                                                    : 1.0;
    for (std::size_t i = 0; i < b.size(); ++i, ++k) EXPECT_NEAR(f[k], want, testing::tol(1e-15)) << b.name;
  }
  // Only the factors train: A0, base and scale are frozen.
  for (const auto& b : component.store.blocks())
    EXPECT_EQ(b.trainable, b.group.rfind("lotra_", 0) == 0) << b.name;
}

TEST(LotraKan, ADeliberateBugInEachAdjointContractionIsCaught) {
  PINNKIT_REQUIRE_DOUBLE();
  for (auto fault : testing::tucker_faults()) {
    SCOPED_TRACE(testing::fault_name(fault));
    LotraLayer t(3, 2, options(3), {2, 2, 3}, 80);
    const JetSpec spec(2, derivatives_up_to(2));
    View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, 3, 0.05, 81), 3, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 82));
    t.layer.set_tucker_fault(fault);
    EXPECT_FALSE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 82));
  }
}

TEST(LotraAdapter, AppliesToPlainKanLayersOnly) {
  LotraNet net(3, "component");
  EXPECT_EQ(net.adapters.adapters().size(), 2u);
  EXPECT_EQ(net.adapters.structure().tucker.size(), 2u);
  models::ModelSpec mlp;
  mlp.hidden = {4};
  ParamStore store;
  auto model = models::build_model(mlp, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store);
  AdapterSpec a;
  a.type = "lotra";
  EXPECT_THROW(attach_adapters(*model, store, a), InputError);
}

TEST(LotraAdapter, RejectsBadRanksAndScalings) {
  for (const auto& [ranks, scaling] : std::vector<std::pair<std::vector<int>, std::string>>{
           {{2, 2}, "component"}, {{2, 0, 2}, "component"}, {{2, 2, 2}, "per_layer"}}) {
    models::ModelSpec spec;
    spec.type = "kan";
    spec.kan_hidden = {3};
    ParamStore store;
    auto model = models::build_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store);
    AdapterSpec a;
    a.type = "lotra";
    a.ranks = ranks;
    a.lr_scaling = scaling;
    EXPECT_THROW(attach_adapters(*model, store, a), InputError) << scaling;
  }
}

}  // namespace
}  // namespace pinnkit::adapters
