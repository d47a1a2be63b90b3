// LoTRA's feature-level form (methods.md 6, models/tucker_features.hpp):
// the update's output from the derivative-weighted basis features without
// forming T. Its forward equals the expanded (coefficient) form to 1e-12 and
// so do its gradients; every factor's gradient and the input adjoint (through
// dL/dPhi) match central differences at jet orders 1..4 (mixed u_xy from
// order 2) on a layer and on a network; the network is unchanged at step 0;
// the per-edge scale's gradient carries the update's part; a deliberate bug
// in each adjoint contraction (dG, dU_out, dU_in, dU_bas, dPhi) is caught;
// the automatic choice follows lotra_features_pay.
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/lotra_kan.hpp"
#include "core/error.hpp"
#include "support/gradcheck.hpp"
#include "support/lotra_fixtures.hpp"
#include "support/tucker_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::adapters {
namespace {

using lotra_testing::lotra_options;
using lotra_testing::LotraLayer;
using lotra_testing::LotraNet;
using lotra_testing::randomize;
using testing::check_input_adjoint;
using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::jets_to_device;
using testing::kan_random_jets;
using testing::layer_differentiable;
using testing::to_host;

constexpr auto kFeatures = LotraContraction::features;
constexpr auto kCoefficients = LotraContraction::coefficients;

const std::vector<double> points{0.1, 0.2, -0.4, 0.9, 0.7, -0.3};

std::vector<double> forward(LotraKan& layer, const JetSpec& spec, const View3<Real>& in) {
  View3<Real> y("y", in.extent(0), spec.channels(), layer.out_features());
  layer.forward(ExecSpace(), spec, in, y);
  return to_host(y);
}

void expect_close(const std::vector<double>& a, const std::vector<double>& b, double rel, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  double scale = 0;
  for (double x : b) scale = std::max(scale, std::abs(x));
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], testing::tol(rel) * (1 + scale)) << what << " entry " << i;
}

TEST(LotraFeatures, ForwardAndGradientsEqualTheExpandedForm) {
  for (bool edge : {true, false}) {  // with base and scale, and without either
    SCOPED_TRACE(edge ? "base + scale" : "no base, no scale");
    LotraLayer t(3, 4, lotra_options(4, edge, edge), {3, 2, 4}, 31);
    const int n = 4;
    const JetSpec spec(2, derivatives_up_to(3));
    const View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.0, 32), n, spec.channels(), 3);
    const testing::WeightedSquareLoss loss(static_cast<std::size_t>(n) * spec.channels() * 4, 33);
    View3<Real> in_adj("in_adj", n, spec.channels(), 3);
    auto run = [&](LotraContraction c, std::vector<double>& grads, std::vector<double>& adj) {
      t.layer.set_contraction(c);
      const auto y = forward(t.layer, spec, in);
      EXPECT_EQ(t.layer.used_feature_form(), c == kFeatures);
      t.store.zero_grads();
      t.layer.backward(ExecSpace(), spec, jets_to_device(loss.adjoint(y), n, spec.channels(), 4), in_adj);
      grads = t.store.grads_to_host();
      adj = to_host(in_adj);
      return y;
    };
    std::vector<double> g_feat, g_coef, a_feat, a_coef;
    const auto y_feat = run(kFeatures, g_feat, a_feat);
    const auto y_coef = run(kCoefficients, g_coef, a_coef);
    expect_close(y_feat, y_coef, 1e-12, "output jets");
    expect_close(g_feat, g_coef, 1e-12, "parameter gradients");
    expect_close(a_feat, a_coef, 1e-12, "input adjoint");
    double g_norm = 0;
    for (double x : g_feat) g_norm += std::abs(x);
    EXPECT_GT(g_norm, 0.0);
    // And the merged layer (expanded A0 + T in coef) gives the same output.
    t.layer.merge(ExecSpace());
    expect_close(forward(t.layer, spec, in), y_feat, 1e-12, "merged");
    t.layer.unmerge(ExecSpace());
  }
}

TEST(LotraFeatures, FactorGradientsAndInputAdjointMatchCentralDifferencesAtOrders1To4) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order) {
    const bool edge = order % 2 == 1;  // with and without base + scale, alternating (keeps the test fast)
    SCOPED_TRACE("order " + std::to_string(order) + (edge ? " base + scale" : " plain"));
    LotraLayer t(3, 2, lotra_options(order + 1, edge, edge), {2, 2, 3}, 20 + order, kFeatures);
    const JetSpec spec(2, derivatives_up_to(order));
    const int n = 3;
    const auto in_host = kan_random_jets(t.layer, spec, n, 0.05, 40 + order);
    const View3<Real> in = jets_to_device(in_host, n, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 50 + order));
    EXPECT_TRUE(t.layer.used_feature_form());
    EXPECT_TRUE(check_input_adjoint(t.layer, spec, in_host, n, 60 + order));
  }
}

TEST(LotraFeatures, UnfrozenBaseBlocksGetTheirGradientsIncludingTheUpdatesPart) {
  PINNKIT_REQUIRE_DOUBLE();
  // The scale multiplies A0 + T: its gradient has a part from T, which the
  // feature form adds (the layer's dW gemm only sees A0).
  LotraLayer t(3, 2, lotra_options(3), {2, 2, 2}, 7, kFeatures);
  for (const std::string b : {"kan.coef", "kan.base", "kan.scale"}) t.store.set_trainable(b, true);
  const JetSpec spec(2, derivatives_up_to(2));
  const View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, 3, 0.05, 8), 3, spec.channels(), 3);
  EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 9));
  t.store.set_trainable("kan.coef", false);
  t.store.set_trainable("kan.base", false);  // scale alone: the dW gemm still runs for it
  EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 10));
}

TEST(LotraFeatures, NetworkGradientsMatchCentralDifferencesAtOrders1To4) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order) {
    LotraNet net(5, "component", true, "features");
    std::uint64_t seed = 70;
    for (const auto& b : net.adapters.owned_blocks()) randomize(net.store, b, seed++, -0.5, 0.5);
    const JetSpec spec(2, derivatives_up_to(order));
    EXPECT_TRUE(check_jet_loss_gradient(net.store, testing::model_differentiable(*net.model, spec, points), 3))
        << spec.describe();
  }
}

TEST(LotraFeatures, NetworkIsUnchangedAtStepZero) {
  LotraNet plain(4, "component", false);
  LotraNet lotra(4, "component", true, "features");
  std::uint64_t seed = 5;
  for (const auto& b : plain.store.blocks()) {
    if (b.group == "kan_grid") continue;
    randomize(plain.store, b.name, seed++);
    lotra.store.block_from_host(b.name, plain.store.block_to_host(b.name));
  }
  const JetSpec spec(2, derivatives_up_to(4));
  const auto y0 = testing::model_differentiable(*plain.model, spec, points).forward();
  const auto y1 = testing::model_differentiable(*lotra.model, spec, points).forward();
  ASSERT_EQ(y0.size(), y1.size());
  for (std::size_t i = 0; i < y0.size(); ++i) EXPECT_EQ(y0[i], y1[i]) << i;
  for (const auto* a : lotra.adapters.adapters())
    EXPECT_TRUE(dynamic_cast<const LotraKan&>(*a).used_feature_form());
}

TEST(LotraFeatures, ADeliberateBugInEachAdjointContractionIsCaught) {
  PINNKIT_REQUIRE_DOUBLE();
  const JetSpec spec(2, derivatives_up_to(2));
  const int n = 3;
  for (auto fault : testing::tucker_faults()) {
    SCOPED_TRACE(testing::fault_name(fault));
    LotraLayer t(3, 2, lotra_options(3), {2, 2, 3}, 80, kFeatures);
    const View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.05, 81), n, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 82));
    t.layer.set_tucker_fault(fault);
    EXPECT_FALSE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 82));
  }
  // dL/dPhi reaches no parameter of this layer: the input adjoint catches it.
  LotraLayer t(3, 2, lotra_options(3), {2, 2, 3}, 83, kFeatures);
  const auto in_host = kan_random_jets(t.layer, spec, n, 0.05, 84);
  EXPECT_TRUE(check_input_adjoint(t.layer, spec, in_host, n, 85));
  t.layer.set_tucker_fault(models::TuckerFault::features);
  EXPECT_FALSE(check_input_adjoint(t.layer, spec, in_host, n, 85));
}

TEST(LotraFeatures, AutomaticChoiceFollowsTheCostModel) {
  const std::array<int, 3> r{4, 4, 4};
  // Never with trainable base blocks (the dW gemm runs anyway), and a form
  // that pays at many rows pays at fewer.
  EXPECT_FALSE(lotra_features_pay(1, 32, 32, 13, 14, r, false));
  for (int rows : {1, 10, 100, 1000, 100000})
    if (lotra_features_pay(rows, 32, 32, 13, 14, r, true)) {
      EXPECT_TRUE(lotra_features_pay(1, 32, 32, 13, 14, r, true)) << rows;
    }
  LotraLayer t(3, 2, lotra_options(3), {2, 2, 3}, 90, LotraContraction::automatic);
  const JetSpec spec(2, derivatives_up_to(2));
  for (int n : {1, 4000}) {
    const View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.0, 91), n, spec.channels(), 3);
    forward(t.layer, spec, in);
    // The cost model's crossover for this layer lies at ~18 rows.
    EXPECT_EQ(t.layer.used_feature_form(), n == 1) << n;
    EXPECT_EQ(t.layer.used_feature_form(),
              lotra_features_pay(n * spec.channels(), 2, 3, t.layer.basis_count(), t.layer.features_per_input(),
                                 {2, 2, 3}, true))
        << n;
  }
}

// /adapter records the configured form next to the ranks and the rate scaling.
TEST(LotraFeatures, TheAdapterStateNamesTheContraction) {
  LotraLayer t(3, 4, lotra_options(4, true, true), {3, 2, 4}, 31);
  const std::string key = t.layer.name() + ".contraction";
  t.layer.set_contraction(LotraContraction::features);
  EXPECT_EQ(t.layer.state().attrs.at(key), "features");
  t.layer.set_contraction(LotraContraction::coefficients);
  EXPECT_EQ(t.layer.state().attrs.at(key), "coefficients");
  t.layer.set_contraction(LotraContraction::automatic);
  EXPECT_EQ(t.layer.state().attrs.at(key), "auto");
}

TEST(LotraFeatures, RejectsAnUnknownContraction) {
  models::ModelSpec spec;
  spec.type = "kan";
  spec.kan_hidden = {3};
  models::ParamStore store;
  auto model = models::build_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store);
  AdapterSpec a;
  a.type = "lotra";
  a.contraction = "tensor";
  EXPECT_THROW(attach_adapters(*model, store, a), InputError);
}

}  // namespace
}  // namespace pinnkit::adapters
