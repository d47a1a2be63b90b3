// Performance-shaped code paths of the jet kernels: activation layers wider
// than one feature block (full blocks plus a remainder) against the scalar
// recurrence and finite differences, and the model's workspaces, which must
// survive alternating (N, JetSpec) pairs without reallocation or corruption.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "models/activation.hpp"
#include "models/activation_jets.hpp"
#include "models/make_model.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

// Wider than two blocks with a remainder, so full and partial blocks both run.
constexpr int wide = 2 * detail::activation_block + 5;

TEST(ActivationBlocks, WideLayerMatchesTheScalarRecurrence) {
  PINNKIT_REQUIRE_DOUBLE();
  const JetSpec spec(2, {{4, 0}, {0, 3}, {1, 1}});
  const int n = 3, c = spec.channels();
  for (ActivationKind kind : {ActivationKind::tanh, ActivationKind::silu}) {
    ParamStore store;
    Activation act("act", wide, kind);
    act.register_params(store);
    store.finalize();
    const auto in = testing::random_values(static_cast<std::size_t>(n) * c * wide, -1.5, 1.5, 3);
    View3<Real> out("out", n, c, wide);
    act.forward(ExecSpace(), spec, testing::jets_to_device(in, n, c, wide), out);
    const auto got = testing::to_host(out);
    auto at = [&](int p, int ch, int q) { return (static_cast<std::size_t>(p) * c + ch) * wide + q; };
    for (int p = 0; p < n; ++p)
      for (int q = 0; q < wide; ++q) {
        Real d[6];
        dispatch_activation(kind, [&](auto fn) { decltype(fn)::eval(in[at(p, 0, q)], d); });
        // Same arithmetic up to reassociation: a few ulps of the working precision.
        const double eps = std::numeric_limits<Real>::epsilon();
        EXPECT_NEAR(got[at(p, 0, q)], d[0], 64 * eps) << "value, feature " << q;
        for (const auto& dir : spec.directions()) {
          Real z[5] = {}, a[5] = {};
          for (int k = 1; k <= dir.order; ++k) z[k] = in[at(p, dir.first_channel + k - 1, q)];
          compose_series(d, z, dir.order, a);
          for (int k = 1; k <= dir.order; ++k)
            EXPECT_NEAR(got[at(p, dir.first_channel + k - 1, q)], a[k],
                        512 * eps * std::max<double>(1.0, std::abs(a[k])))
                << activation_name(kind) << " point " << p << " feature " << q << " coefficient "
                << k << " of direction " << dir.axis_a << "," << dir.axis_b;
        }
      }
  }
}

TEST(ActivationBlocks, WideLayerAdjointMatchesFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  // tanh takes its derivatives from the saved output, silu recomputes them.
  // One full block plus a remainder keeps the finite differences cheap.
  const JetSpec spec(2, {{4, 0}, {1, 1}});
  const int n = 1, f = detail::activation_block + 3;
  for (ActivationKind kind : {ActivationKind::tanh, ActivationKind::silu}) {
    ParamStore store;
    Activation act("act", f, kind);
    act.register_params(store);
    store.finalize();
    const auto in = testing::random_values(
        static_cast<std::size_t>(n) * spec.channels() * f, -1.0, 1.0, 17);
    EXPECT_TRUE(testing::check_input_adjoint(act, spec, in, n, 5)) << activation_name(kind);
  }
}

// A step alternates the interior batch (Laplacian jets) and a boundary batch
// (values only); the model must serve both from one allocation and give the
// same outputs and gradients as a model that only ever saw the interior.
TEST(ModelWorkspaces, AlternatingShapesReuseStorageAndKeepResults) {
  PINNKIT_REQUIRE_DOUBLE();
  ModelSpec ms;
  ms.hidden = {wide, 7};
  const JetSpec lap(2, {{2, 0}, {0, 2}}), val(2);
  const auto interior = testing::points_to_device({0.1, -0.4, 0.7, 0.2, -0.3, 0.9, 0.5, 0.5}, 4, 2);
  const auto boundary = testing::points_to_device({1.0, 0.3, -1.0, -0.6}, 2, 2);
  View3<Real> lap_adj("lap_adj", 4, lap.channels(), 1), val_adj("val_adj", 2, 1, 1);
  Kokkos::deep_copy(lap_adj, Real(0.25));
  Kokkos::deep_copy(val_adj, Real(-0.5));

  ParamStore reference_store;
  auto reference = make_model(ms, 2, 1, {-1, -1}, {1, 1}, reference_store, 9);
  const auto want_out = testing::to_host(reference->forward(lap, interior));
  reference_store.zero_grads();
  reference->backward(lap, lap_adj);
  const auto want_grad = testing::to_host(reference_store.grads());

  ParamStore store;
  auto model = make_model(ms, 2, 1, {-1, -1}, {1, 1}, store, 9);
  const Real* first = model->forward(lap, interior).data();
  for (int step = 0; step < 3; ++step) {
    store.zero_grads();
    model->forward(val, boundary);
    model->backward(val, val_adj);
    const auto out = model->forward(lap, interior);
    EXPECT_EQ(out.data(), first) << "step " << step << " reallocated the output jets";
    EXPECT_EQ(testing::to_host(out), want_out) << "step " << step;
    store.zero_grads();
    model->backward(lap, lap_adj);
    EXPECT_EQ(testing::to_host(store.grads()), want_grad) << "step " << step;
  }
}

}  // namespace
}  // namespace pinnkit::models
