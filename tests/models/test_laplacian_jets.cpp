// The forward-Laplacian channel (core/jet_spec.hpp) through every kind of
// network: it must equal the sum of the per-axis second coefficients of the
// uncollapsed jets, leave every other channel as it was, give the same
// parameter gradient as the uncollapsed reverse pass, and match central
// differences of a loss on the collapsed jets.
#include <gtest/gtest.h>

#include <string>

#include "models/make_model.hpp"

#include "support/gradcheck.hpp"
#include "support/laplacian_check.hpp"

namespace pinnkit::models {

namespace {

struct Net {
  ParamStore store;
  std::unique_ptr<Model> model;
  Net(const ModelSpec& spec, int dim, int outputs) {
    model = make_model(spec, dim, outputs, std::vector<double>(dim, -1.0), std::vector<double>(dim, 1.0), store, 7);
  }
};

ModelSpec mlp(const std::string& activation) {
  ModelSpec s;
  s.hidden = {5, 4};
  s.activation = activation;
  return s;
}

ModelSpec kan() {
  ModelSpec s;
  s.type = "kan";
  s.kan_hidden = {3};
  s.grid = 4;
  s.degree = 5;  // third spline derivative continuous: finite differences stay smooth
  return s;
}

ModelSpec fourier_mlp() {
  ModelSpec s = mlp("tanh");
  s.fourier.count = 3;
  s.fourier.scale = 1.5;
  return s;
}

const std::vector<double> points2{0.1, 0.2, -0.4, 0.9, 0.7, -0.3};
const std::vector<double> points3{0.1, 0.2, 0.3, -0.4, 0.9, -0.5, 0.7, -0.3, 0.05};

class CollapsedLaplacian : public ::testing::TestWithParam<std::string> {
 protected:
  ModelSpec spec() const {
    const std::string p = GetParam();
    if (p == "kan") return kan();
    if (p == "fourier") return fourier_mlp();
    return mlp(p);
  }
};

// 2-D, u_x and u_y with Lap u (a Poisson/Helmholtz residual).
TEST_P(CollapsedLaplacian, EqualsTheSumOfSecondCoefficientsIn2D) {
  PINNKIT_REQUIRE_DOUBLE();
  Net net(spec(), 2, 2);
  EXPECT_TRUE(testing::check_collapsed_laplacian(*net.model, net.store, {{1, 0}, {0, 1}}, {0, 1}, points2));
}

// 3-D space-time, u_t with the spatial Laplacian only (heat), and a third
// order along another axis beside it (the Laplacian's axes stay at order 1).
TEST_P(CollapsedLaplacian, CoversASubsetOfTheAxesBesideOtherDirections) {
  PINNKIT_REQUIRE_DOUBLE();
  Net net(spec(), 3, 1);
  EXPECT_TRUE(testing::check_collapsed_laplacian(*net.model, net.store, {{0, 0, 1}}, {0, 1}, points3));
  EXPECT_TRUE(testing::check_collapsed_laplacian(*net.model, net.store, {{0, 0, 3}, {1, 0, 0}}, {0, 1}, points3));
}

TEST_P(CollapsedLaplacian, ParameterGradientMatchesCentralDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  Net net(spec(), 2, 1);
  const JetSpec lap(2, {{1, 0}}, {0, 1});
  ASSERT_EQ(lap.channels(), 4);
  EXPECT_TRUE(testing::check_jet_loss_gradient(net.store, testing::model_differentiable(*net.model, lap, points2), 5));
}

INSTANTIATE_TEST_SUITE_P(Networks, CollapsedLaplacian,
                         ::testing::Values("tanh", "sin", "silu", "gelu", "softplus", "kan", "fourier"));

}  // namespace

}  // namespace pinnkit::models
