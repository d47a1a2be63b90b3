// ScaledGD (Riemannian preconditioned LoRA): the step against a closed form
// computed here with Eigen, the invariance of the induced update
// of B A under (B, A) -> (B S, S^-1 A), faster convergence than plain gradient
// descent on ||B A - M||^2 at full rank, and damping on rank-deficient factors.
#include <gtest/gtest.h>

#include "support/stepper_support.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <memory>
#include <random>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "models/param_store.hpp"
#include "solvers/optimizer.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

using Mat = Eigen::MatrixXd;
constexpr double tight = std::is_same<Real, double>::value ? 1e-12 : 1e-5;

Mat random_matrix(int rows, int cols, std::mt19937& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Mat m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = normal(rng);
  return m;
}

/// A store with a plain block, a frozen block and one factor pair B (m x r), A (r x n).
struct PairStore {
  models::ParamStore store;
  int m, r, n;
  PairStore(int m_, int r_, int n_) : m(m_), r(r_), n(n_) {
    store.add("bias", {3});
    store.add("frozen", {2}, "default", false);
    store.add("B", {m, r}, "lora_B");
    store.add("A", {r, n}, "lora_A");
    store.finalize();
  }
  FactorLayout layout() const {
    return {store.block("B").offset, store.block("A").offset, m, r, n};
  }
  static Mat to_matrix(const std::vector<double>& v, int rows, int cols) {
    Mat out(rows, cols);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) out(i, j) = v[i * cols + j];
    return out;
  }
  static std::vector<double> to_vector(const Mat& x) {
    std::vector<double> v;
    for (int i = 0; i < x.rows(); ++i)
      for (int j = 0; j < x.cols(); ++j) v.push_back(x(i, j));
    return v;
  }
  Mat b() const { return to_matrix(store.block_to_host("B"), m, r); }
  Mat a() const { return to_matrix(store.block_to_host("A"), r, n); }
  void set(const Mat& b, const Mat& a) {
    store.block_from_host("B", to_vector(b));
    store.block_from_host("A", to_vector(a));
  }
  /// Gradients of 0.5 ||B A - M||_F^2 into the store; returns the loss.
  double quadratic_grads(const Mat& target) {
    const Mat b_now = b(), a_now = a(), g = b_now * a_now - target;
    auto grads = store.grads_to_host();
    const auto gb = to_vector(g * a_now.transpose()), ga = to_vector(b_now.transpose() * g);
    std::copy(gb.begin(), gb.end(), grads.begin() + store.block("B").offset);
    std::copy(ga.begin(), ga.end(), grads.begin() + store.block("A").offset);
    auto d = Kokkos::create_mirror_view(store.grads());
    for (std::size_t i = 0; i < grads.size(); ++i) d(i) = grads[i];
    Kokkos::deep_copy(store.grads(), d);
    return 0.5 * g.squaredNorm();
  }
};

Mat damped_inverse(const Mat& gram, double damping) {
  return (gram + damping * Mat::Identity(gram.rows(), gram.cols())).ldlt().solve(Mat::Identity(gram.rows(), gram.cols()));
}

/// The change of B A after one ScaledGD step (or one plain gradient step) on
/// 0.5 ||B A - M||^2 from (b, a).
Mat product_update(const Mat& b, const Mat& a, const Mat& target, double lr, bool scaled) {
  PairStore s(static_cast<int>(b.rows()), static_cast<int>(b.cols()), static_cast<int>(a.cols()));
  s.set(b, a);
  s.quadratic_grads(target);
  const TrainableEntries entries(s.store);
  if (scaled)
    ScaledGd(entries, {s.layout()}, ScaledGdSettings{0.0}).step(s.store.params(), s.store.grads(), lr);
  else
    Sgd(entries, SgdSettings{0.0, false}).step(s.store.params(), s.store.grads(), lr);
  return s.b() * s.a() - b * a;
}

}  // namespace

TEST(ScaledGd, OneStepMatchesTheClosedFormPreconditionedStep) {
  std::mt19937 rng(11);
  PairStore s(5, 2, 3);
  const std::vector<double> start = PairStore::to_vector(random_matrix(1, static_cast<int>(s.store.size()), rng));
  s.store.params_from_host(start);
  const std::vector<double> grads = PairStore::to_vector(random_matrix(1, static_cast<int>(s.store.size()), rng));
  auto g = Kokkos::create_mirror_view(s.store.grads());
  for (std::size_t i = 0; i < grads.size(); ++i) g(i) = grads[i];
  Kokkos::deep_copy(s.store.grads(), g);
  const Mat b0 = s.b(), a0 = s.a();
  const Mat gb = PairStore::to_matrix({grads.begin() + s.store.block("B").offset, grads.end()}, 5, 2);
  const Mat ga = PairStore::to_matrix({grads.begin() + s.store.block("A").offset, grads.end()}, 2, 3);
  const double lr = 0.05, damping = 0.1;

  ScaledGd optimizer(TrainableEntries(s.store), {s.layout()}, ScaledGdSettings{damping});
  optimizer.step(s.store.params(), s.store.grads(), lr);

  const Mat b_expected = b0 - lr * gb * damped_inverse(a0 * a0.transpose(), damping);
  const Mat a_expected = a0 - lr * damped_inverse(b0.transpose() * b0, damping) * ga;
  EXPECT_LT((s.b() - b_expected).norm(), tight * b_expected.norm());
  EXPECT_LT((s.a() - a_expected).norm(), tight * a_expected.norm());
  // The step of B really is preconditioned (not the plain gradient step).
  EXPECT_GT((s.b() - (b0 - lr * gb)).norm(), 1e-3 * lr * gb.norm());
  const auto after = s.store.params_to_host();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(after[i], start[i] - lr * grads[i], tight) << "plain entry " << i;
  for (int i = 3; i < 5; ++i) EXPECT_EQ(after[i], static_cast<double>(static_cast<Real>(start[i]))) << "frozen entry " << i;
}

TEST(ScaledGd, ProductUpdateIsInvariantUnderFactorReparametrisation) {
  std::mt19937 rng(5);
  const int m = 5, r = 3, n = 4;
  const Mat b = random_matrix(m, r, rng), a = random_matrix(r, n, rng), target = random_matrix(m, n, rng);
  const Mat s = random_matrix(r, r, rng) + 3.0 * Mat::Identity(r, r);  // invertible, far from orthogonal
  const Mat bs = b * s, sa = s.inverse() * a;
  auto mismatch = [&](double lr, bool scaled) {
    const Mat d1 = product_update(b, a, target, lr, scaled), d2 = product_update(bs, sa, target, lr, scaled);
    return (d1 - d2).norm() / d1.norm();
  };
  // Undamped, even the lr^2 term dB dA = G A^T Q^-1 S S^-1 P^-1 B^T G is
  // invariant, so the two updates agree to rounding at any step size.
  const double rounding = std::is_same<Real, double>::value ? 1e-9 : 1e-3;
  EXPECT_LT(mismatch(1e-2, true), rounding);
  EXPECT_LT(mismatch(0.3, true), rounding);
  // Plain gradient descent is not invariant: its updates differ at first order.
  EXPECT_GT(mismatch(1e-2, false), 1e-2);
}

TEST(ScaledGd, ConvergesFasterThanGradientDescentAtFullRank) {
  std::mt19937 rng(3);
  const int m = 4, r = 3, n = 3;
  const Mat target = random_matrix(m, n, rng);
  const Mat b0 = 0.5 * random_matrix(m, r, rng);
  Eigen::VectorXd spread(3);
  spread << 1.0, 0.3, 0.1;  // an ill-conditioned A slows plain gradient descent
  const Mat a0 = 0.5 * spread.asDiagonal() * random_matrix(r, n, rng);
  auto final_loss = [&](bool scaled) {
    PairStore s(m, r, n);
    s.set(b0, a0);
    const TrainableEntries entries(s.store);
    std::unique_ptr<FirstOrderOptimizer> opt;
    if (scaled)
      opt = std::make_unique<ScaledGd>(entries, std::vector<FactorLayout>{s.layout()}, ScaledGdSettings{0.0});
    else
      opt = std::make_unique<Sgd>(entries, SgdSettings{0.0, false});
    for (int k = 0; k < 60; ++k) {
      s.quadratic_grads(target);
      opt->step(s.store.params(), s.store.grads(), 0.1);
    }
    return 0.5 * (s.b() * s.a() - target).squaredNorm();
  };
  const double scaled = final_loss(true), plain = final_loss(false);
  const double start = 0.5 * (b0 * a0 - target).squaredNorm();
  EXPECT_LT(scaled, 1e-3 * start);
  EXPECT_LT(scaled, 1e-2 * plain) << "scaled " << scaled << " plain " << plain;
}

TEST(ScaledGd, DampingKeepsARankDeficientFactorFinite) {
  std::mt19937 rng(8);
  const int m = 4, r = 2, n = 3;
  const Mat target = random_matrix(m, n, rng), a0 = random_matrix(r, n, rng);
  const double lr = 0.1, damping = 1e-6;
  // B = 0 (the standard LoRA init): B^T B = 0, so only the damping makes it invertible.
  PairStore s(m, r, n);
  s.set(Mat::Zero(m, r), a0);
  s.quadratic_grads(target);
  const Mat gb = -target * a0.transpose();
  ScaledGd(TrainableEntries(s.store), {s.layout()}, ScaledGdSettings{damping})
      .step(s.store.params(), s.store.grads(), lr);
  EXPECT_TRUE(s.b().allFinite() && s.a().allFinite());
  EXPECT_EQ((s.a() - a0.cast<Real>().cast<double>()).norm(), 0.0) << "dL/dA = B^T G = 0 must leave A in place";
  const Mat b_expected = -lr * gb * damped_inverse(a0 * a0.transpose(), damping);
  EXPECT_LT((s.b() - b_expected).norm(), tight * b_expected.norm());

  // Two equal columns: B has rank 1 < r. Still finite, and the loss goes down.
  Mat b1(m, r);
  b1.col(0) = random_matrix(m, 1, rng);
  b1.col(1) = b1.col(0);
  s.set(b1, a0);
  const double before = s.quadratic_grads(target);
  ScaledGd(TrainableEntries(s.store), {s.layout()}, ScaledGdSettings{1e-3})
      .step(s.store.params(), s.store.grads(), 1e-3);
  EXPECT_TRUE(s.b().allFinite() && s.a().allFinite());
  EXPECT_LT(0.5 * (s.b() * s.a() - target).squaredNorm(), before);

  // Without damping the same singular Gram is refused rather than inverted.
  s.set(Mat::Zero(m, r), a0);
  s.quadratic_grads(target);
  ScaledGd undamped(TrainableEntries(s.store), {s.layout()}, ScaledGdSettings{0.0});
  EXPECT_THROW(undamped.step(s.store.params(), s.store.grads(), lr), InternalError);
}

TEST(ScaledGd, TheRegistryBuildsItFromTheAdaptersFactorPairs) {
  PairStore s(3, 2, 2);
  std::mt19937 rng(2);
  s.set(random_matrix(3, 2, rng), random_matrix(2, 2, rng));
  const Mat b0 = s.b(), a0 = s.a();
  s.quadratic_grads(random_matrix(3, 2, rng));
  StageSpec stage;
  stage.optimizer = "scaled_gd";
  stage.damping = 0.5;
  const TrainableEntries entries(s.store);
  EXPECT_THROW(stepper_for(stage, s.store, entries), InputError);  // no factor pairs
  const adapters::AdapterStructure pairs{{{"B", "A", 1.0}}, {}, {}};
  const Mat gb = PairStore::to_matrix(s.store.grads_to_host(), 1, static_cast<int>(s.store.size()))
                     .block(0, s.store.block("B").offset, 1, 6);
  GradientOnlyOracle oracle(s.store);
  stepper_for(stage, s.store, entries, pairs)->step(ExecSpace(), oracle, 0.1);
  Mat gb_matrix(3, 2);
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 2; ++k) gb_matrix(i, k) = gb(0, i * 2 + k);
  const Mat b_expected = b0 - 0.1 * gb_matrix * damped_inverse(a0 * a0.transpose(), 0.5);
  EXPECT_LT((s.b() - b_expected).norm(), tight * b_expected.norm()) << "the stage's damping was not used";
  // A pair on frozen entries leaves no pair to precondition: refused, not plain descent.
  s.store.set_trainable("A", false);
  const TrainableEntries fewer(s.store);
  EXPECT_THROW(stepper_for(stage, s.store, fewer, pairs), InputError);
}

}  // namespace pinnkit::solvers
