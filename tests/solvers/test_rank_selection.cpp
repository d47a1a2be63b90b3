// SubLoRA's selection (methods.md 5) against brute force on small R, the
// projection's optimality conditions, the second-order model's error order,
// and AdaLoRA's score on a hand-computed example.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "solvers/rank_selection.hpp"

namespace pinnkit::solvers {
namespace {

std::vector<std::vector<int>> subsets_of_size(int r, int k) {
  std::vector<std::vector<int>> out;
  for (unsigned mask = 0; mask < (1u << r); ++mask) {
    if (__builtin_popcount(mask) != k) continue;
    std::vector<int> s;
    for (int i = 0; i < r; ++i)
      if (mask & (1u << i)) s.push_back(i);
    out.push_back(s);
  }
  return out;
}

double best_value(const PruningModel& m, int budget) {
  double best = -1e300;
  for (const auto& s : subsets_of_size(m.size(), budget)) best = std::max(best, m.keep_value(s));
  return best;
}

Eigen::MatrixXd random_symmetric(int r, std::mt19937& rng) {
  std::normal_distribution<double> n(0.0, 1.0);
  Eigen::MatrixXd a(r, r);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < r; ++j) a(i, j) = n(rng);
  return 0.5 * (a + a.transpose());
}

TEST(RankSelection, KeepValueIsTheLossOfPruningAllMinusPruningTheRest) {
  std::mt19937 rng(1);
  std::normal_distribution<double> n(0.0, 1.0);
  const int r = 6;
  Eigen::VectorXd s(r), g(r);
  for (int i = 0; i < r; ++i) s(i) = n(rng), g(i) = n(rng);
  const PruningModel m = PruningModel::from(s, g, random_symmetric(r, rng));
  const std::vector<int> all{0, 1, 2, 3, 4, 5}, kept{1, 4}, rest{0, 2, 3, 5};
  EXPECT_NEAR(m.keep_value(kept), m.pruning_change(all) - m.pruning_change(rest), 1e-12);
  EXPECT_NEAR(m.keep_value({}), 0.0, 0.0);
}

// Projection onto {X : X_ij >= 0, i != j} in the Frobenius norm: the
// residual H - P lies in the normal cone (zero where P_ij > 0 or on the
// diagonal, non-positive where P_ij = 0), and no feasible perturbation of P
// comes closer to H.
TEST(RankSelection, ProjectionIsTheFrobeniusNearestSubmodularMatrix) {
  std::mt19937 rng(2);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::MatrixXd h = random_symmetric(7, rng);
    const Eigen::MatrixXd p = project_submodular(h);
    for (int i = 0; i < 7; ++i)
      for (int j = 0; j < 7; ++j) {
        if (i == j) {
          EXPECT_EQ(p(i, j), h(i, j));
          continue;
        }
        EXPECT_GE(p(i, j), 0.0);
        if (p(i, j) > 0) EXPECT_EQ(p(i, j), h(i, j));
        else EXPECT_LE(h(i, j), 0.0);
      }
    std::uniform_real_distribution<double> u(-0.3, 0.3);
    for (int k = 0; k < 50; ++k) {
      Eigen::MatrixXd q = p;
      for (int i = 0; i < 7; ++i)
        for (int j = 0; j < 7; ++j) q(i, j) += u(rng);
      q = project_submodular(q);  // any feasible point
      EXPECT_GE((q - h).norm(), (p - h).norm() - 1e-12);
    }
    EXPECT_TRUE((PruningModel{Eigen::VectorXd::Zero(7), p}).submodular());
  }
}

// Modular F (no off-diagonal terms): greedy is exactly optimal.
TEST(RankSelection, GreedyEqualsBruteForceWhenModular) {
  std::mt19937 rng(3);
  std::normal_distribution<double> n(0.0, 1.0);
  for (int trial = 0; trial < 30; ++trial) {
    const int r = 4 + trial % 9;  // 4..12
    PruningModel m;
    m.g_hat = Eigen::VectorXd(r);
    m.h_hat = Eigen::MatrixXd::Zero(r, r);
    for (int i = 0; i < r; ++i) m.g_hat(i) = n(rng), m.h_hat(i, i) = std::abs(n(rng));
    for (int b = 0; b <= r; ++b) EXPECT_NEAR(m.keep_value(greedy_keep(m, b)), best_value(m, b), 1e-12) << "R " << r;
  }
}

// Monotone submodular F: greedy keeps at least (1 - 1/e) of the optimum.
TEST(RankSelection, GreedyReachesOneMinusOneOverEOfTheOptimumWhenMonotoneSubmodular) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst = 1.0;
  for (int trial = 0; trial < 60; ++trial) {
    const int r = 5 + trial % 8;  // 5..12
    PruningModel m;
    m.h_hat = Eigen::MatrixXd(r, r);
    for (int i = 0; i < r; ++i)
      for (int j = 0; j <= i; ++j) m.h_hat(i, j) = m.h_hat(j, i) = i == j ? 1 + 3 * u(rng) : u(rng);
    m.g_hat = Eigen::VectorXd(r);
    for (int i = 0; i < r; ++i) m.g_hat(i) = 0.5 * m.h_hat(i, i) - 2 * u(rng);  // g^_e <= H^_ee / 2
    ASSERT_TRUE(m.submodular() && m.monotone());
    for (int b = 1; b <= r; ++b) {
      const double opt = best_value(m, b), got = m.keep_value(greedy_keep(m, b));
      ASSERT_GT(opt, 0.0);
      EXPECT_GE(got, (1 - std::exp(-1.0)) * opt - 1e-12) << "R " << r << " b " << b;
      worst = std::min(worst, got / opt);
    }
  }
  RecordProperty("worst_ratio", std::to_string(worst));
}

// On a smooth (non-quadratic) loss, f(T) predicts the change of zeroing s_T
// with an error of order |s_T|^3: halving s quarters... eighths the error.
TEST(RankSelection, SecondOrderModelErrorIsThirdOrderInTheSingularValues) {
  const int r = 5;
  Eigen::VectorXd c(r), d(r);
  c << 0.3, -0.7, 0.2, 0.5, -0.1;
  d << 0.4, 0.1, -0.3, 0.2, 0.6;
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(r, r);
  a(0, 1) = a(1, 0) = 0.3;
  a(2, 4) = a(4, 2) = -0.2;
  // L(s) = c.s + s^T A s / 2 + sum d_i s_i^3 + 0.1 exp(s_0 s_2)
  auto loss = [&](const Eigen::VectorXd& s) {
    return c.dot(s) + 0.5 * s.dot(a * s) + d.dot(s.cwiseProduct(s).cwiseProduct(s)) + 0.1 * std::exp(s(0) * s(2));
  };
  auto grad = [&](const Eigen::VectorXd& s) {
    Eigen::VectorXd g = c + a * s + 3 * d.cwiseProduct(s).cwiseProduct(s);
    const double e = 0.1 * std::exp(s(0) * s(2));
    g(0) += e * s(2);
    g(2) += e * s(0);
    return g;
  };
  auto hess = [&](const Eigen::VectorXd& s) {
    Eigen::MatrixXd h = a;
    for (int i = 0; i < r; ++i) h(i, i) += 6 * d(i) * s(i);
    const double e = 0.1 * std::exp(s(0) * s(2));
    h(0, 0) += e * s(2) * s(2);
    h(2, 2) += e * s(0) * s(0);
    h(0, 2) += e * (1 + s(0) * s(2));
    h(2, 0) = h(0, 2);
    return h;
  };
  const std::vector<int> pruned{0, 2, 3};
  Eigen::VectorXd base(r);
  base << 0.8, -0.5, 0.6, 0.9, 0.4;
  std::vector<double> errors;
  for (double t : {0.2, 0.1, 0.05}) {
    const Eigen::VectorXd s = t * base;
    Eigen::VectorXd zeroed = s;
    for (int i : pruned) zeroed(i) = 0;
    const PruningModel m = PruningModel::from(s, grad(s), hess(s));
    errors.push_back(std::abs(m.pruning_change(pruned) - (loss(zeroed) - loss(s))));
  }
  for (std::size_t k = 1; k < errors.size(); ++k) {
    const double order = std::log2(errors[k - 1] / errors[k]);
    EXPECT_NEAR(order, 3.0, 0.25) << "errors " << errors[k - 1] << " -> " << errors[k];
  }
}

// A hand computation of AdaLoRA's score: one layer, r = 2, P 2 x 2, Q 2 x 1,
// beta1 = beta2 = 0.5, two updates.
TEST(RankSelection, AdaloraScoreMatchesAHandComputedExample) {
  AdaloraScore score({2}, 0.5, 0.5);
  Eigen::VectorXd s(2), gs(2);
  Eigen::MatrixXd p(2, 2), gp(2, 2), q(2, 1), gq(2, 1);
  s << 2, -1;
  gs << 0.5, 1;  // I = |s g| = (1, 1)
  p << 1, 0, 0, 2;
  gp << 1, 1, 1, 1;  // I = (1, 0; 0, 2)
  q << 1, -3;
  gq << 2, 1;  // I = (2; 3)
  score.update(0, s, gs, p, gp, q, gq);
  // Step 1: I_bar = I/2, U_bar = |I - I/2|/2 = I/4, s(w) = I^2/8.
  //   s-part (1/8, 1/8); P: (1/8, 0; 0, 4/8) -> column means (1/16, 2/8); Q: (4/8; 9/8).
  EXPECT_NEAR(score.scores()(0), 1.0 / 8 + 1.0 / 16 + 4.0 / 8, 1e-15);
  EXPECT_NEAR(score.scores()(1), 1.0 / 8 + 2.0 / 8 + 9.0 / 8, 1e-15);
  gs << 0, 3;  // I = (0, 3)
  score.update(0, s, gs, p, gp * 0.0, q, gq);
  // Step 2, s-part: component 0: I_bar = (1/2)/2 = 1/4, U_bar = (1/4)/2 + |0 - 1/4|/2 = 1/4 -> 1/16.
  //   component 1: I_bar = 1/4 + 3/2 = 7/4, U_bar = 1/8 + |3 - 7/4|/2 = 3/4 -> 21/16.
  // P (I = 0): I_bar = I1/4, U_bar = I1/8 + I1/8 = I1/4 -> I1^2/16: (1/16, 0; 0, 4/16), column means (1/32, 2/16).
  // Q (I unchanged = (2; 3)): I_bar = 3 I/4, U_bar = I/8 + I/8 = I/4 -> 3 I^2/16: (12/16; 27/16).
  EXPECT_NEAR(score.scores()(0), 1.0 / 16 + 1.0 / 32 + 12.0 / 16, 1e-15);
  EXPECT_NEAR(score.scores()(1), 21.0 / 16 + 2.0 / 16 + 27.0 / 16, 1e-15);
}

TEST(RankSelection, EveryRuleKeepsExactlyTheBudget) {
  std::mt19937 rng(5);
  std::normal_distribution<double> n(0.0, 1.0);
  SelectionInput in;
  const int r = 9;
  in.s = Eigen::VectorXd(r);
  in.g = Eigen::VectorXd(r);
  in.adalora = Eigen::VectorXd(r);
  for (int i = 0; i < r; ++i) in.s(i) = n(rng), in.g(i) = n(rng), in.adalora(i) = std::abs(n(rng));
  in.hessian = random_symmetric(r, rng);
  for (const auto& e : selection_registry().entries())
    for (int b : {0, 3, 9, 12}) {
      auto kept = e.build(in, b);
      EXPECT_EQ(static_cast<int>(kept.size()), std::min(b, r)) << e.name;
      std::sort(kept.begin(), kept.end());
      EXPECT_EQ(std::unique(kept.begin(), kept.end()), kept.end()) << e.name << " kept one component twice";
    }
  // magnitude keeps the largest |s|; first_order the largest |s g|.
  in.s << 5, 1, 4, 2, 3, 0.5, 0.1, 0.2, 0.3;
  auto top = selection_registry().get("magnitude").build(in, 3);
  EXPECT_EQ(top, (std::vector<int>{0, 2, 4}));
}

// Checkpoints: a score restored from a saved one continues bit for bit; a
// fresh one (what a resume without it would use) does not.
TEST(RankSelection, AdaloraScoreSavedAndRestoredContinuesBitForBit) {
  auto random = [](int rows, int cols, unsigned seed) {
    std::srand(seed);
    return Eigen::MatrixXd::Random(rows, cols).eval();
  };
  auto step = [&](AdaloraScore& a, unsigned seed) {
    for (int layer = 0; layer < 2; ++layer) {
      const int r = layer == 0 ? 2 : 3;
      a.update(layer, random(r, 1, seed).col(0), random(r, 1, seed + 1).col(0), random(4, r, seed + 2),
               random(4, r, seed + 3), random(r, 5, seed + 4), random(r, 5, seed + 5));
    }
  };
  AdaloraScore whole({2, 3}), restored({2, 3}), fresh({2, 3});
  for (unsigned k = 0; k < 4; ++k) step(whole, 10 * k);
  SavedState saved;
  whole.save(saved);
  restored.restore(saved);
  for (unsigned k = 4; k < 6; ++k) {
    step(whole, 10 * k);
    step(restored, 10 * k);
    step(fresh, 10 * k);
  }
  EXPECT_EQ(restored.scores(), whole.scores());
  EXPECT_NE(fresh.scores(), whole.scores());
}

}  // namespace
}  // namespace pinnkit::solvers
