// Activations: closed-form derivatives f'..f^(5) vs finite differences, the
// jet recurrences of one activation vs finite differences of f, and the
// layer's hand-written adjoint vs finite differences over every input entry
// (orders 1..4 and a mixed direction).
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "models/activation.hpp"
#include "models/activation_functions.hpp"
#include "models/registries.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

const ActivationKind all_kinds[] = {ActivationKind::tanh, ActivationKind::sin,
                                    ActivationKind::cos,  ActivationKind::silu,
                                    ActivationKind::gelu, ActivationKind::softplus};

void derivatives(ActivationKind kind, double z, Real* d) {
  dispatch_activation(kind, [&](auto fn) { decltype(fn)::eval(static_cast<Real>(z), d); });
}

TEST(ActivationFunctions, ValuesMatchTheirDefinitions) {
  PINNKIT_REQUIRE_DOUBLE();
  const double c = std::sqrt(2.0 / M_PI);
  for (double z : {-4.0, -0.7, 0.0, 0.3, 2.5, 30.0, -30.0}) {
    Real d[6];
    derivatives(ActivationKind::tanh, z, d);
    EXPECT_NEAR(d[0], std::tanh(z), 1e-15);
    derivatives(ActivationKind::softplus, z, d);
    EXPECT_NEAR(d[0], std::log1p(std::exp(z)), 1e-14 * std::max(1.0, std::abs(z)));
    derivatives(ActivationKind::silu, z, d);
    EXPECT_NEAR(d[0], z / (1 + std::exp(-z)), 1e-14 * std::max(1.0, std::abs(z)));
    derivatives(ActivationKind::gelu, z, d);
    EXPECT_NEAR(d[0], 0.5 * z * (1 + std::tanh(c * (z + 0.044715 * z * z * z))),
                1e-14 * std::max(1.0, std::abs(z)));
    derivatives(ActivationKind::sin, z, d);
    EXPECT_NEAR(d[0], std::sin(z), 1e-15);
  }
}

TEST(ActivationFunctions, EachDerivativeIsTheSlopeOfThePreviousOne) {
  PINNKIT_REQUIRE_DOUBLE();
  // Central differences with h = 1e-5: error ~h^2 |f^(k+2)| / 6 + eps / h ~ 1e-10;
  // a wrong coefficient in a closed form is off by O(1).
  const double h = 1e-5;
  for (ActivationKind kind : all_kinds)
    for (double z : {-3.0, -1.2, -0.3, 0.0, 0.4, 1.7, 3.5}) {
      Real d[6], dp[6], dm[6];
      derivatives(kind, z, d);
      derivatives(kind, z + h, dp);
      derivatives(kind, z - h, dm);
      for (int k = 1; k <= 5; ++k) {
        const double fd = (dp[k - 1] - dm[k - 1]) / (2 * h);
        EXPECT_NEAR(d[k], fd, 1e-7 * std::max(1.0, std::abs(fd)))
            << activation_name(kind) << " derivative " << k << " at z = " << z;
      }
    }
}

TEST(ActivationFunctions, NamesRoundTripAndUnknownNamesAreInputErrors) {
  for (const char* name : {"tanh", "sin", "silu", "gelu", "softplus"})
    EXPECT_EQ(activation_name(activation_registry().get(name).build), name);
  try {
    activation_registry().get("relu");
    FAIL() << "relu accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("model.activation"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("relu"), std::string::npos);
  }
}

TEST(ActivationLayer, JetsCarryDerivativesUpToOrderFour) {
  PINNKIT_REQUIRE_DOUBLE();
  // u(x) = f(x) for one input: every order 1..4 against finite differences.
  for (ActivationKind kind : all_kinds) {
    ParamStore store;
    Activation act("act", 1, kind);
    act.register_params(store);
    store.finalize();
    EXPECT_TRUE(testing::check_input_derivatives(testing::layer_jet_function(act), 1, 1,
                                                 {{1}, {2}, {3}, {4}}, {-1.3, -0.2, 0.4, 1.1}))
        << activation_name(kind);
  }
}

TEST(ActivationLayer, AdjointMatchesFiniteDifferencesOnEveryChannel) {
  PINNKIT_REQUIRE_DOUBLE();
  // Random input jets (every channel nonzero) with orders 4 and 3 along the
  // axes and a mixed direction of order 2: every term of every recurrence
  // enters the loss.
  const JetSpec spec(2, {{4, 0}, {0, 3}, {1, 1}});
  const int n = 3, f = 4;
  for (ActivationKind kind : all_kinds) {
    ParamStore store;
    Activation act("act", f, kind);
    act.register_params(store);
    store.finalize();
    const auto in = testing::random_values(static_cast<std::size_t>(n) * spec.channels() * f,
                                           -1.0, 1.0, 11);
    EXPECT_TRUE(testing::check_input_adjoint(act, spec, in, n, 5)) << activation_name(kind);
  }
}

TEST(ActivationLayer, BackwardWithoutInputAdjointIsANoOp) {
  const JetSpec spec(1, {{2}});
  ParamStore store;
  Activation act("act", 2, ActivationKind::tanh);
  act.register_params(store);
  store.finalize();
  EXPECT_FALSE(act.has_params());
  View3<Real> in("in", 2, spec.channels(), 2), out("out", 2, spec.channels(), 2);
  act.forward(ExecSpace(), spec, in, out);
  EXPECT_NO_THROW(act.backward_params_only(ExecSpace(), spec, out));
  View3<Real> wrong("wrong", 2, spec.channels(), 3);
  EXPECT_THROW(act.backward(ExecSpace(), spec, out, wrong), InternalError);
}

}  // namespace
}  // namespace pinnkit::models
