// Spectral (LoRA-One) initialisation: the network is unchanged at step 0,
// the factors are balanced and span the top-r singular directions of -G,
// and B A points downhill.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "support/lora_fixtures.hpp"

namespace pinnkit::adapters {
namespace {

using testing_support::LoraNet;

const std::vector<double> points{0.1, 0.2, -0.4, 0.9, 0.7, -0.3, -0.9, 1.4, 0.3, -0.2};

Eigen::MatrixXd block_matrix(const models::ParamStore& store, const std::string& name) {
  const auto& b = store.block(name);
  const auto v = store.block_to_host(name);
  Eigen::MatrixXd m(b.shape[0], b.shape[1]);
  for (int i = 0; i < b.shape[0]; ++i)
    for (int j = 0; j < b.shape[1]; ++j) m(i, j) = v[i * b.shape[1] + j];
  return m;
}

struct SpectralRun {
  LoraNet net{{6, 5}, 2, "spectral"};
  JetSpec spec{2, {{2, 0}, {0, 2}}};
  View2<Real> view = testing::points_to_device(points, 5, 2);
  testing::WeightedSquareLoss loss{static_cast<std::size_t>(5) * spec.channels(), 77};
  std::vector<double> before;
  std::map<std::string, Eigen::MatrixXd> gradient;  ///< dL/dW per layer at step 0

  SpectralRun() {
    before = testing::to_host(net.model->forward(spec, view));
    auto full_backward = [this] {
      net.store.zero_grads();
      auto y = testing::to_host(net.model->forward(spec, view));
      net.model->backward(spec, testing::jets_to_device(loss.adjoint(y), 5, spec.channels(), 1));
    };
    // The reference G: the base weights' own gradient with the base unfrozen.
    for (int l = 0; l < 3; ++l) net.store.set_trainable("dense" + std::to_string(l) + ".weight", true);
    full_backward();
    for (int l = 0; l < 3; ++l) {
      const std::string w = "dense" + std::to_string(l) + ".weight";
      const auto& b = net.store.block(w);
      const auto g = net.store.grads_to_host();
      Eigen::MatrixXd m(b.shape[0], b.shape[1]);
      for (int i = 0; i < b.shape[0]; ++i)
        for (int j = 0; j < b.shape[1]; ++j) m(i, j) = g[b.offset + i * b.shape[1] + j];
      gradient[w] = m;
      net.store.set_trainable(w, false);
    }
    net.adapters.init_from_gradient(ExecSpace(), full_backward);
  }
};

TEST(SpectralInit, NetworkUnchangedAtStepZero) {
  PINNKIT_REQUIRE_DOUBLE();
  SpectralRun run;
  const auto after = testing::to_host(run.net.model->forward(run.spec, run.view));
  ASSERT_EQ(after.size(), run.before.size());
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_NEAR(after[i], run.before[i], 1e-13 * (1 + std::abs(run.before[i])));
  // The factors are not zero: the init did something.
  EXPECT_GT(block_matrix(run.net.store, "dense1.lora_B").norm(), 0.5);
}

TEST(SpectralInit, FactorsAreBalancedTopSingularDirectionsOfMinusG) {
  PINNKIT_REQUIRE_DOUBLE();
  SpectralRun run;
  for (const std::string layer : {"dense0", "dense1", "dense2"}) {
    const Eigen::MatrixXd B = block_matrix(run.net.store, layer + ".lora_B");
    const Eigen::MatrixXd A = block_matrix(run.net.store, layer + ".lora_A");
    const Eigen::MatrixXd& G = run.gradient.at(layer + ".weight");
    const int r = static_cast<int>(A.rows());
    EXPECT_LT((B.transpose() * B - A * A.transpose()).norm(), 1e-12) << layer;
    // B A = -(rank-r truncation of G) / s_1.
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(G, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::MatrixXd Gr = svd.matrixU().leftCols(r) * svd.singularValues().head(r).asDiagonal() *
                               svd.matrixV().leftCols(r).transpose();
    EXPECT_LT((B * A + Gr / svd.singularValues()(0)).norm(), 1e-10 * (1 + Gr.norm())) << layer;
    EXPECT_LT((B * A).cwiseProduct(G).sum(), 0.0) << layer << ": B A must point downhill";
  }
}

}  // namespace
}  // namespace pinnkit::adapters
