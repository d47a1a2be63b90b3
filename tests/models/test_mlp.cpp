// Tiny MLPs (2-5-5-1 and 3-4-2) for every activation: the input derivatives
// carried by the output jets (orders 1..4, mixed second derivatives) vs
// nested central differences of the network, and the parameter gradients of
// a loss over all jet entries vs central differences over every parameter.
#include <gtest/gtest.h>

#include "models/make_model.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

const char* const activations[] = {"tanh", "sin", "silu", "gelu", "softplus"};

struct Net {
  ParamStore store;
  std::unique_ptr<Model> model;
  Net(int in, std::vector<int> hidden, int out, const std::string& act, int fourier = 0) {
    ModelSpec spec;
    spec.hidden = std::move(hidden);
    spec.activation = act;
    spec.fourier.count = fourier;
    spec.fourier.scale = 0.5;
    // A box other than [-1, 1]^d, so the input scaling is part of the check.
    std::vector<double> lo(in), hi(in);
    for (int i = 0; i < in; ++i) lo[i] = -0.5 - i, hi[i] = 1.5 + 0.5 * i;
    model = make_model(spec, in, out, lo, hi, store, 17);
  }
};

const std::vector<MultiIndex> derivatives_2d{{1, 0}, {0, 1}, {2, 0}, {0, 2}, {1, 1},
                                             {3, 0}, {0, 3}, {4, 0}, {0, 4}};
const std::vector<MultiIndex> derivatives_3d{{1, 0, 0}, {0, 2, 0}, {0, 0, 3}, {4, 0, 0},
                                             {1, 1, 0}, {0, 1, 1}, {1, 0, 1}};
const std::vector<double> points_2d{0.1, 0.2, -0.4, 0.9, 1.2, -0.3};
const std::vector<double> points_3d{0.1, 0.2, -0.3, -0.4, 1.1, 0.5};

TEST(Mlp, InputDerivativesMatchFiniteDifferences2to5to5to1) {
  PINNKIT_REQUIRE_DOUBLE();
  for (const char* act : activations) {
    Net net(2, {5, 5}, 1, act);
    EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*net.model), 2, 1,
                                                 derivatives_2d, points_2d))
        << act;
  }
}

TEST(Mlp, InputDerivativesMatchFiniteDifferences3to4to2) {
  PINNKIT_REQUIRE_DOUBLE();
  for (const char* act : activations) {
    Net net(3, {4}, 2, act);
    EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*net.model), 3, 2,
                                                 derivatives_3d, points_3d))
        << act;
  }
}

TEST(Mlp, ParameterGradientsMatchFiniteDifferencesAtEveryOrder) {
  PINNKIT_REQUIRE_DOUBLE();
  // One spec per highest order, plus the mixed directions: the loss reads
  // every channel, so every Faa di Bruno term and its adjoint is exercised.
  const std::vector<std::vector<MultiIndex>> specs{
      {{1, 0}}, {{2, 0}, {0, 2}}, {{0, 3}}, {{4, 0}, {1, 1}}};
  for (const char* act : activations)
    for (const auto& ds : specs) {
      Net net(2, {5, 5}, 1, act);
      const JetSpec spec(2, ds);
      EXPECT_TRUE(testing::check_jet_loss_gradient(
          net.store, testing::model_differentiable(*net.model, spec, points_2d), 3))
          << act << " " << spec.describe();
    }
  for (const char* act : activations) {
    Net net(3, {4}, 2, act);
    const JetSpec spec(3, derivatives_3d);
    EXPECT_TRUE(testing::check_jet_loss_gradient(
        net.store, testing::model_differentiable(*net.model, spec, points_3d), 4))
        << act << " " << spec.describe();
  }
}

TEST(Mlp, LaplacianFromJetsIsTheTraceOfTheHessian) {
  PINNKIT_REQUIRE_DOUBLE();
  // u_xx + u_yy read from the jets vs the 5-point finite-difference Laplacian
  // (h = 1e-3: error ~h^2 u'''' / 12 + 4 eps / h^2 ~ 1e-7).
  Net net(2, {5, 5}, 1, "tanh");
  const JetSpec spec(2, {{2, 0}, {0, 2}});
  const auto fn = testing::model_jet_function(*net.model);
  const auto jets = fn(spec, points_2d, 3);
  const JetSpec value_only(2);
  for (int p = 0; p < 3; ++p) {
    const double x = points_2d[2 * p], y = points_2d[2 * p + 1], h = 1e-3;
    auto u = [&](double a, double b) { return fn(value_only, {a, b}, 1)[0]; };
    const double fd =
        (u(x + h, y) + u(x - h, y) + u(x, y + h) + u(x, y - h) - 4 * u(x, y)) / (h * h);
    const int c = spec.channels();
    auto ch = [&](int k) { return static_cast<double>(jets[p * c + k]); };
    const double lap = spec.recipe({2, 0}).combine(ch) + spec.recipe({0, 2}).combine(ch);
    EXPECT_NEAR(lap, fd, 1e-5 * std::max(1.0, std::abs(fd))) << "point " << p;
  }
}

TEST(Mlp, FourierFeaturesCarryJetsAndGradients) {
  PINNKIT_REQUIRE_DOUBLE();
  for (const char* act : {"tanh", "silu"}) {
    Net net(2, {5}, 1, act, 3);
    EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*net.model), 2, 1,
                                                 derivatives_2d, points_2d))
        << act;
    const JetSpec spec(2, {{4, 0}, {1, 1}});
    EXPECT_TRUE(testing::check_jet_loss_gradient(
        net.store, testing::model_differentiable(*net.model, spec, points_2d), 5))
        << act;
  }
}

}  // namespace
}  // namespace pinnkit::models
