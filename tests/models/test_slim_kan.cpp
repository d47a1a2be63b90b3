// Slim KAN layers (methods.md 6): the parameter count formula, the factored
// evaluation equal to a plain KAN holding the expanded tensor, gradients of
// every Tucker factor vs central differences at jet orders 1..4 (mixed u_xy
// included), a deliberate bug in each adjoint contraction caught, and the
// model registry entry.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "models/make_model.hpp"
#include "models/slim_kan_layer.hpp"
#include "support/gradcheck.hpp"
#include "support/kan_util.hpp"
#include "support/tucker_util.hpp"
#include "support/precision.hpp"

namespace pinnkit::models {
namespace {

using testing::check_jet_loss_gradient;
using testing::derivatives_up_to;
using testing::jets_to_device;
using testing::kan_random_jets;
using testing::layer_differentiable;
using testing::to_host;

KanOptions options(int degree, bool base = true, bool scale = true) {
  KanOptions o;
  o.grid = 4;
  o.degree = degree;
  o.base = base;
  o.scale = scale;
  return o;
}

struct TestSlim {
  ParamStore store;
  SlimKanLayer layer;
  TestSlim(int in, int out, const KanOptions& o, const std::array<int, 3>& r, std::uint64_t seed)
      : layer("kan", in, out, o, r) {
    layer.register_params(store);
    store.finalize();
    layer.initialize_params(seed);
    testing::set_grids(store, layer, -1.0, 1.0, 0.2);
    testing::randomize_trainable(store, seed);
  }
};

TEST(SlimKan, ParameterCountIsTheTuckerFormula) {
  TestSlim t(3, 5, options(3), {2, 3, 4}, 1);  // K = 7
  const int K = t.layer.basis_count();
  ASSERT_EQ(K, 7);
  const long expected = 2 * 3 * 4 + 5 * 2 + 3 * 3 + K * 4;
  EXPECT_EQ(t.layer.coefficient_param_count(), expected);
  long stored = 0;
  for (const auto& b : {t.layer.core_block(), t.layer.out_block(), t.layer.in_block(), t.layer.basis_block()})
    stored += static_cast<long>(t.store.block(b).size());
  EXPECT_EQ(stored, expected);
  EXPECT_FALSE(t.store.has("kan.coef"));  // no dense tensor stored
  EXPECT_EQ(t.layer.dense_coefficient_count(), 5L * 3 * K);
  // Ranks above a mode size are capped at (n_out, n_in, K).
  TestSlim capped(3, 5, options(3), {9, 9, 9}, 2);
  EXPECT_EQ(capped.layer.ranks(), (std::array<int, 3>{5, 3, 7}));
  EXPECT_EQ(capped.layer.coefficient_param_count(), 5L * 3 * 7 + 5 * 5 + 3 * 3 + 7 * 7);
}

TEST(SlimKan, FactoredEvaluationEqualsAPlainKanHoldingTheExpandedTensor) {
  for (bool base : {true, false}) {
    const int n_in = 3, n_out = 4, n = 5;
    const std::array<int, 3> r{2, 3, 2};
    TestSlim t(n_in, n_out, options(3, base, true), r, 11);
    ParamStore store;
    KanLayer plain("kan", n_in, n_out, options(3, base, true));
    plain.register_params(store);
    store.finalize();
    plain.initialize_params(1);
    const int K = plain.basis_count();
    const auto T = testing::host_tucker(t.store.block_to_host("kan.tucker_core"), t.store.block_to_host("kan.tucker_out"),
                                        t.store.block_to_host("kan.tucker_in"), t.store.block_to_host("kan.tucker_basis"),
                                        n_out, n_in, K, r[0], r[1], r[2]);
    store.block_from_host("kan.coef", T);
    for (const std::string b : {"kan.scale", "kan.grid"}) store.block_from_host(b, t.store.block_to_host(b));
    if (base) store.block_from_host("kan.base", t.store.block_to_host("kan.base"));
    const JetSpec spec(2, derivatives_up_to(2));
    View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.0, 3), n, spec.channels(), n_in);
    View3<Real> y1("y1", n, spec.channels(), n_out), y2("y2", n, spec.channels(), n_out);
    t.layer.forward(ExecSpace(), spec, in, y1);
    plain.forward(ExecSpace(), spec, in, y2);
    const auto a = to_host(y1), b = to_host(y2);
    double norm = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_NEAR(a[i], b[i], testing::tol(1e-12) * (1 + std::abs(b[i]))) << i;
      norm += std::abs(a[i]);
    }
    EXPECT_GT(norm, 0.0);
  }
}

// Orders 1..4 with degree order + 1 (the jets are then exact derivatives),
// mixed u_xy from order 2 on; every Tucker factor, base and scale checked.
TEST(SlimKan, FactorGradientsMatchCentralDifferencesAtOrders1To4) {
  PINNKIT_REQUIRE_DOUBLE();
  for (int order = 1; order <= 4; ++order)
    for (bool base : {order % 2 == 1}) {  // with and without the base branch, alternating (keeps the test fast)
      SCOPED_TRACE("order " + std::to_string(order) + (base ? " base" : " no base"));
      TestSlim t(3, 2, options(order + 1, base, true), {2, 2, 3}, 20 + order);
      const JetSpec spec(2, derivatives_up_to(order));
      const int n = 3;
      View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.05, 40 + order), n, spec.channels(), 3);
      EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 50 + order));
    }
}

TEST(SlimKan, ADeliberateBugInEachAdjointContractionIsCaught) {
  PINNKIT_REQUIRE_DOUBLE();
  for (auto fault : testing::tucker_faults()) {
    SCOPED_TRACE(testing::fault_name(fault));
    TestSlim t(3, 2, options(3), {2, 2, 3}, 60);
    const JetSpec spec(2, derivatives_up_to(2));
    const int n = 3;
    View3<Real> in = jets_to_device(kan_random_jets(t.layer, spec, n, 0.05, 61), n, spec.channels(), 3);
    EXPECT_TRUE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 62));
    t.layer.set_tucker_fault(fault);
    EXPECT_FALSE(check_jet_loss_gradient(t.store, layer_differentiable(t.layer, spec, in), 62));
  }
}

TEST(SlimKan, RegistryBuildsSlimLayersAndRejectsBadRanks) {
  ModelSpec spec;
  spec.type = "slim_kan";
  spec.kan_hidden = {6};
  spec.grid = 4;
  spec.degree = 3;
  spec.ranks = {3, 2, 5};
  ParamStore store;
  auto model = make_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store, 3);
  long tucker = 0;
  int slim = 0;
  for (int i = 0; i < model->layer_count(); ++i)
    if (auto* s = dynamic_cast<SlimKanLayer*>(&model->layer(i))) {
      ++slim;
      tucker += s->coefficient_param_count();
    }
  ASSERT_EQ(slim, 2);
  // kan0: 2 -> 6, ranks (3, 2, 5); kan1: 6 -> 1, ranks (1, 2, 5); K = 7.
  EXPECT_EQ(tucker, (3 * 2 * 5 + 6 * 3 + 2 * 2 + 7 * 5) + (1 * 2 * 5 + 1 * 1 + 6 * 2 + 7 * 5));
  spec.ranks = {3, 2};
  ParamStore other;
  EXPECT_THROW(build_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, other), InputError);
}

}  // namespace
}  // namespace pinnkit::models
