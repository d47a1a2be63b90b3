// SubLoRA's joint training pieces (solvers/svd_second_order.hpp,
// rank_allocation.hpp) on a small Poisson PINN with svd_lora adapters:
// g and H = d2L/ds2 against finite differences of the loss; Gauss-Newton
// equal to H where the residuals are linear in s; the orthogonality
// regulariser's gradient against central differences; the cubic budget
// schedule on hand-computed values; and training runs in which every
// allocation keeps exactly b(t) components, with pruned s held at 0.
//
// Deliberate bugs these tests caught when tried:
// - H's columns divided by h instead of 2h: FiniteDifferenceHessianMatchesTheLoss fails.
// - Gauss-Newton without its factor 2 (J^T J): GaussNewtonIsExactForResidualsLinearInS fails.
// - the orthogonality gradient 2 gamma P E_P instead of 4: OrthogonalityGradient... fails.
// - the schedule's exponent 2 instead of 3: CubicScheduleOnHandValues fails.
// - the check of budget.target against R left out: BudgetsBeyondTheAdapter... fails.
#include <gtest/gtest.h>

#include <cmath>

#include "adapters/adapter_set.hpp"
#include "solvers/rank_allocation.hpp"
#include "solvers/stepper.hpp"
#include "solvers/trainer.hpp"
#include "support/gradcheck.hpp"
#include "support/solver_fixture.hpp"

namespace pinnkit::solvers {
namespace {

/// A 2-6-6-1 tanh MLP on the small Poisson problem with svd_lora on `layers`
/// (all when empty), random nonzero P, s, Q.
struct SvdPinn {
  testing::SmallPinn pinn;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  adapters::AdapterSet adapters;
  std::optional<Objective> objective;
  std::optional<ObjectiveStepOracle> oracle;

  explicit SvdPinn(int rank, std::vector<std::string> layers = {}, bool randomize = true) {
    models::ModelSpec spec;
    spec.hidden = {6, 6};
    const auto& box = pinn.problem.domain();
    model = models::build_model(spec, 2, 1, box.lower(), box.upper(), store);
    adapters::AdapterSpec a;
    a.type = "svd_lora";
    a.rank = rank;
    a.layers = std::move(layers);
    adapters = adapters::attach_adapters(*model, store, a);
    store.finalize();
    model->initialize_params(3);
    if (randomize) {
      std::uint64_t seed = 40;
      for (const auto& t : adapters.structure().svd)
        for (const auto& name : {t.p, t.s, t.q})
          store.block_from_host(name, testing::random_values(store.block(name).size(), -0.8, 0.8, seed++));
    }
    objective.emplace(pinn.problem, *model, store, pinn.sampling, pinn.loss, 2);
    oracle.emplace(*objective, store);
  }
  SvdComponents components() const { return SvdComponents(store, adapters.structure().svd); }
  double loss_at(const SvdComponents& c, const Eigen::VectorXd& s) {
    c.set_values(store, s);
    return objective->value(ExecSpace()).total;
  }
};

double max_abs(const Eigen::MatrixXd& m) { return m.cwiseAbs().maxCoeff(); }

}  // namespace

TEST(SvdSecondOrder, FiniteDifferenceHessianMatchesTheLoss) {
  PINNKIT_REQUIRE_DOUBLE();
  SvdPinn net(2);
  const auto c = net.components();
  ASSERT_EQ(c.size(), 5);  // ranks 2, 2, 1 (the output layer has one row)
  const Eigen::VectorXd s0 = c.values(net.store);
  const SecondOrder so = second_order(ExecSpace(), *net.oracle, c, HessianMethod::fd);
  EXPECT_EQ(c.values(net.store), s0);  // the parameters are left as they were
  // g and H against central differences of the loss value alone.
  const double h = 1e-3;
  Eigen::VectorXd g_fd(c.size());
  Eigen::MatrixXd h_fd(c.size(), c.size());
  for (int i = 0; i < c.size(); ++i) {
    Eigen::VectorXd e = Eigen::VectorXd::Unit(c.size(), i) * h;
    g_fd(i) = (net.loss_at(c, s0 + e) - net.loss_at(c, s0 - e)) / (2 * h);
    for (int j = 0; j < c.size(); ++j) {
      const Eigen::VectorXd f = Eigen::VectorXd::Unit(c.size(), j) * h;
      h_fd(i, j) = (net.loss_at(c, s0 + e + f) - net.loss_at(c, s0 + e - f) - net.loss_at(c, s0 - e + f) +
                    net.loss_at(c, s0 - e - f)) /
                   (4 * h * h);
    }
  }
  c.set_values(net.store, s0);
  EXPECT_NEAR(so.loss, net.objective->value(ExecSpace()).total, 1e-12 * so.loss);
  EXPECT_LT((so.g - g_fd).cwiseAbs().maxCoeff(), 1e-5 * max_abs(g_fd));
  EXPECT_GT(max_abs(h_fd), 1e-3);
  EXPECT_LT(max_abs(so.h - h_fd), 1e-4 * max_abs(h_fd)) << "H\n" << so.h << "\nfinite differences\n" << h_fd;
  EXPECT_EQ(so.h, so.h.transpose());
}

TEST(SvdSecondOrder, PrunedComponentsHaveZeroRowsAndColumns) {
  SvdPinn net(2);
  const auto c = net.components();
  Eigen::VectorXd mask = Eigen::VectorXd::Ones(c.size());
  mask(1) = 0;
  c.set_mask(net.store, mask);
  const int before = net.oracle->evaluations();
  const SecondOrder so = second_order(ExecSpace(), *net.oracle, c, HessianMethod::fd);
  EXPECT_EQ(net.oracle->evaluations() - before, 1 + 2 * 4);  // g, then 2 per kept component
  EXPECT_EQ(so.g(1), 0.0);
  EXPECT_EQ(so.h.row(1).cwiseAbs().sum(), 0.0);
  EXPECT_EQ(so.h.col(1).cwiseAbs().sum(), 0.0);
  EXPECT_GT(so.h.row(0).cwiseAbs().sum(), 0.0);
}

TEST(SvdSecondOrder, GaussNewtonIsExactForResidualsLinearInS) {
  PINNKIT_REQUIRE_DOUBLE();
  // Only the output layer adapted: u is linear in its s, and Poisson's
  // residual and the boundary residual are linear in u, so H = 2 J^T J.
  SvdPinn net(1, {"dense2"});
  const auto c = net.components();
  ASSERT_EQ(c.size(), 1);
  const ResidualFunction rho = [&](const ExecSpace& exec) { return net.objective->weighted_residuals(exec); };
  double sq = 0;
  for (double r : rho(ExecSpace())) sq += r * r;
  EXPECT_NEAR(sq, net.objective->value(ExecSpace()).total, 1e-12 * sq);  // L = |rho|^2
  const SecondOrder fd = second_order(ExecSpace(), *net.oracle, c, HessianMethod::fd);
  const SecondOrder gn = second_order(ExecSpace(), *net.oracle, c, HessianMethod::gauss_newton, rho);
  EXPECT_GT(max_abs(fd.h), 1e-6);
  EXPECT_LT(max_abs(gn.h - fd.h), 1e-6 * max_abs(fd.h)) << gn.h << " vs " << fd.h;
  // With every layer adapted the residuals are not linear: GN is still PSD.
  SvdPinn all(2);
  const ResidualFunction rho_all = [&](const ExecSpace& exec) { return all.objective->weighted_residuals(exec); };
  const SecondOrder gn_all = second_order(ExecSpace(), *all.oracle, all.components(), HessianMethod::gauss_newton, rho_all);
  EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(gn_all.h).eigenvalues().minCoeff(), -1e-10);
}

TEST(RankAllocation, OrthogonalityGradientMatchesCentralDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  SvdPinn net(2);
  const auto svd = net.adapters.structure().svd;
  const double gamma = 0.7;
  EXPECT_TRUE(testing::check_param_gradient(
      net.store, [&] { return orthogonality_penalty(ExecSpace(), net.store, svd, gamma, false); },
      [&] { orthogonality_penalty(ExecSpace(), net.store, svd, gamma, true); }));
  // Zero at orthonormal factors: P = [e1 e2] (6 x 2 of dense1), Q = P^T.
  std::vector<double> p(12, 0.0);
  p[0] = p[3] = 1.0;
  const auto& t = svd[1];
  net.store.block_from_host(t.p, p);
  std::vector<double> q(12, 0.0);
  q[0] = q[7] = 1.0;
  net.store.block_from_host(t.q, q);
  EXPECT_EQ(orthogonality_penalty(ExecSpace(), net.store, {t}, gamma, false), 0.0);
}

TEST(RankAllocation, CubicScheduleOnHandValues) {
  adapters::RankBudgetSpec b;
  b.initial = 12;
  b.target = 4;
  b.warmup = 10;
  b.final_steps = 20;
  b.every = 10;
  const int total = 110;  // the schedule runs over steps 10..90
  EXPECT_EQ(scheduled_budget(b, 30, 0, total), 12);
  EXPECT_EQ(scheduled_budget(b, 30, 10, total), 12);
  EXPECT_EQ(scheduled_budget(b, 30, 11, total), 11);  // 4 + floor(8 (79/80)^3) = 4 + 7
  EXPECT_EQ(scheduled_budget(b, 30, 30, total), 7);   // 4 + floor(8 (3/4)^3) = 4 + 3
  EXPECT_EQ(scheduled_budget(b, 30, 50, total), 5);   // 4 + floor(8 / 8)
  EXPECT_EQ(scheduled_budget(b, 30, 90, total), 4);
  EXPECT_EQ(scheduled_budget(b, 30, 110, total), 4);
  b.initial = 0;  // b0 = R
  EXPECT_EQ(scheduled_budget(b, 30, 5, total), 30);
  EXPECT_EQ(scheduled_budget(b, 30, 50, total), 4 + static_cast<int>(std::floor(26 * 0.125)));
  std::vector<int> steps;
  for (int t = 1; t <= total; ++t)
    if (allocation_step(b, t, total)) steps.push_back(t);
  EXPECT_EQ(steps, (std::vector<int>{20, 30, 40, 50, 60, 70, 80, 90}));
  b.every = 25;  // the last allocation still lands on T - t_f
  steps.clear();
  for (int t = 1; t <= total; ++t)
    if (allocation_step(b, t, total)) steps.push_back(t);
  EXPECT_EQ(steps, (std::vector<int>{35, 60, 85, 90}));
  b.target = 0;  // no allocation at all
  for (int t = 1; t <= total; ++t) EXPECT_FALSE(allocation_step(b, t, total));
}

TEST(RankAllocation, EveryRuleKeepsExactlyTheScheduledBudget) {
  for (const auto& rule : selection_registry().names()) {
    SCOPED_TRACE(rule);
    SvdPinn net(3, {}, false);  // ranks 2, 3, 1: R = 6; AdaLoRA's init (s = 0)
    adapters::AdapterSpec spec;
    spec.type = "svd_lora";
    spec.selection = rule;
    spec.budget.target = 2;
    spec.budget.warmup = 4;
    spec.budget.final_steps = 4;
    spec.budget.every = 3;
    const int total = 20;
    RankAllocator allocator(net.store, net.adapters.structure(), spec, total, 7,
                            [&](const ExecSpace& exec) { return net.objective->weighted_residuals(exec); }, "t.yaml");
    ASSERT_EQ(allocator.components().size(), 6);
    StageSpec stage;
    stage.lr = 1e-2;
    stage.steps = total;
    auto options = testing::quiet_options();
    options.hook = &allocator;
    options.structure = net.adapters.structure();
    const Evaluator evaluator(net.pinn.problem, testing::grid_at_end(4));
    Trainer trainer(*net.model, net.store, *net.objective, evaluator, {stage}, net.pinn.sampling,
                    testing::grid_at_end(4), options);
    const TrainResult result = trainer.run(ExecSpace());
    EXPECT_EQ(result.outcome, Outcome::completed);
    ASSERT_TRUE(result.history.count("loss_orthogonality"));
    const auto& history = allocator.history();
    std::vector<int> steps;
    for (const auto& a : history) {
      steps.push_back(a.step);
      EXPECT_EQ(a.budget, scheduled_budget(spec.budget, 6, a.step, total));
      EXPECT_EQ(a.mask.sum(), a.budget) << "step " << a.step;
      EXPECT_TRUE(std::isfinite(a.loss_before) && std::isfinite(a.loss_after));
      // Only second-order rules predict the pruning's effect.
      EXPECT_EQ(std::isnan(a.predicted_change), !selection_registry().get(rule).capabilities.needs_hessian);
    }
    EXPECT_EQ(steps, (std::vector<int>{7, 10, 13, 16}));
    EXPECT_EQ(history.back().budget, 2);
    const auto c = allocator.components();
    const Eigen::VectorXd mask = c.mask(net.store), s = c.values(net.store);
    EXPECT_EQ(mask.sum(), 2);
    for (int i = 0; i < c.size(); ++i)
      if (mask(i) == 0) {
        EXPECT_EQ(s(i), 0.0) << i;  // held at 0 through the final steps
      }
    adapters::AdapterState st;
    allocator.add_state(st);
    EXPECT_EQ(st.arrays.at("allocation.mask").shape, (std::vector<int>{4, 6}));
    EXPECT_EQ(st.arrays.at("allocation.ranks").shape, (std::vector<int>{4, 3}));
  }
}

TEST(RankAllocation, SecondOrderPredictionOfAPruningMatchesTheMeasuredChange) {
  PINNKIT_REQUIRE_DOUBLE();
  SvdPinn net(2);  // R = 5
  const auto c = net.components();
  c.set_values(net.store, 0.05 * c.values(net.store));  // small s: the quadratic model holds
  adapters::AdapterSpec spec;
  spec.type = "svd_lora";
  spec.budget.target = 2;
  RankAllocator allocator(net.store, net.adapters.structure(), spec, 100, 1, {}, "t.yaml");
  allocator.allocate(ExecSpace(), *net.oracle, 1, 2);
  const Allocation& a = allocator.history().back();
  const double measured = a.loss_after - a.loss_before;
  EXPECT_GT(std::abs(measured), 1e-6);
  EXPECT_NEAR(a.predicted_change, measured, 1e-3 * std::abs(measured));  // measured: 3.5e-5
}

TEST(RankAllocation, BudgetsBeyondTheAdapterOrTheRunAreInputErrors) {
  SvdPinn net(2);
  adapters::AdapterSpec spec;
  spec.type = "svd_lora";
  spec.budget.target = 6;  // R = 5
  auto build = [&](int total) {
    RankAllocator(net.store, net.adapters.structure(), spec, total, 1, {}, "t.yaml");
  };
  try {
    build(100);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("adapter.budget.target"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("5 components"), std::string::npos) << e.what();
  }
  spec.budget.target = 2;
  spec.budget.warmup = 60;
  spec.budget.final_steps = 40;
  EXPECT_THROW(build(100), InputError);
  EXPECT_NO_THROW(build(101));
}

}  // namespace pinnkit::solvers
