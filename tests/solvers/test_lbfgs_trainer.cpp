#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "solvers/trainer.hpp"

#include "support/fp_traps.hpp"
#include "support/solver_fixture.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

using testing::SmallPinn;

namespace {

StageSpec stage(const std::string& optimizer, double lr, int steps) {
  StageSpec s;
  s.optimizer = optimizer;
  s.lr = lr;
  s.steps = steps;
  s.history = 20;
  s.tolerance = 1e-12;
  return s;
}

TrainResult train(SmallPinn& pinn, const std::vector<StageSpec>& stages,
                  TrainerOptions options = testing::quiet_options(), const HistorySink& sink = {}) {
  const ExecSpace exec;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 2);
  Evaluator evaluator(pinn.problem, testing::grid_at_end(9));
  Trainer trainer(*pinn.model, pinn.store, objective, evaluator, stages, pinn.sampling, testing::grid_at_end(9),
                  options);
  return trainer.run(exec, sink);
}

}  // namespace

TEST(LbfgsTrainer, AdamThenLbfgsEndsBelowAdamAloneWithTheSameAdamSteps) {
  SmallPinn adam_only, adam_lbfgs;  // same seed: the same initial network
  ASSERT_EQ(adam_only.store.params_to_host(), adam_lbfgs.store.params_to_host());
  const auto a = train(adam_only, {stage("adam", 5e-3, 300)});
  const auto b = train(adam_lbfgs, {stage("adam", 5e-3, 300), stage("lbfgs", 1.0, 100)});
  ASSERT_EQ(a.outcome, Outcome::completed) << a.message;
  ASSERT_EQ(b.outcome, Outcome::completed) << b.message;
  const double adam_loss = a.metrics.at("final_loss"), both_loss = b.metrics.at("final_loss");
  EXPECT_LT(both_loss, 0.1 * adam_loss) << "adam " << adam_loss << ", adam+lbfgs " << both_loss;
  EXPECT_GT(b.steps, 300);
  EXPECT_LE(b.steps, 400);
  EXPECT_GT(b.metrics.at("evaluations"), b.steps);  // the line searches cost evaluations too
}

TEST(LbfgsTrainer, WritesOneRowPerIterationWithTheSameColumnsAsAdam) {
  SmallPinn pinn;
  const auto r = train(pinn, {stage("adam", 5e-3, 20), stage("lbfgs", 1.0, 30)});
  ASSERT_EQ(r.outcome, Outcome::completed) << r.message;
  const auto& step = r.history.at("step");
  const auto& stage_column = r.history.at("stage");
  for (const char* name : {"loss", "lr", "grad_norm", "step_length", "evals", "time_s", "rel_l2", "loss_pde"})
    EXPECT_EQ(r.history.at(name).size(), step.size()) << name;
  // Adam rows at steps 0 and 10; lbfgs rows at every iterate from step 20 on; the final row.
  int lbfgs_rows = 0;
  double previous_loss = std::numeric_limits<double>::infinity(), previous_evals = 0;
  for (std::size_t i = 0; i + 1 < step.size(); ++i) {
    if (stage_column[i] != 1) continue;
    EXPECT_EQ(step[i], 20 + lbfgs_rows) << i;
    EXPECT_TRUE(std::isnan(r.history.at("lr")[i]));
    EXPECT_EQ(std::isnan(r.history.at("step_length")[i]), lbfgs_rows == 0) << i;
    EXPECT_GT(r.history.at("grad_norm")[i], 0);
    EXPECT_LT(r.history.at("loss")[i], previous_loss) << "lbfgs accepted an ascent at row " << i;
    EXPECT_GT(r.history.at("evals")[i], previous_evals);
    previous_loss = r.history.at("loss")[i];
    previous_evals = r.history.at("evals")[i];
    ++lbfgs_rows;
  }
  EXPECT_EQ(lbfgs_rows, r.steps - 20 + 1);  // the stage's start and its 30 iterates
  EXPECT_EQ(r.steps, 50);
}

TEST(LbfgsTrainer, AStopRequestEndsTheLbfgsStageBetweenIterations) {
  SmallPinn pinn;
  std::atomic<bool> stop{false};
  int rows = 0;
  TrainerOptions options = testing::quiet_options();
  options.stop_requested = &stop;
  const auto r = train(pinn, {stage("lbfgs", 1.0, 100)}, options, [&](const std::map<std::string, double>&) {
    if (++rows == 5) stop = true;
  });
  EXPECT_EQ(r.outcome, Outcome::interrupted);
  EXPECT_EQ(r.steps, 4);
  EXPECT_TRUE(std::isfinite(r.metrics.at("final_loss")));
}

TEST(LbfgsTrainer, ANanLossIsDivergenceNotALineSearchFailure) {
  testing::FpTrapsOff traps_off;
  SmallPinn pinn;
  auto values = pinn.store.params_to_host();
  values[0] = std::numeric_limits<double>::quiet_NaN();
  pinn.store.params_from_host(values);
  const auto r = train(pinn, {stage("lbfgs", 1.0, 10), stage("adam", 1e-3, 10)});
  EXPECT_EQ(r.outcome, Outcome::diverged);
  EXPECT_EQ(r.steps, 0);
  EXPECT_NE(r.message.find("nan"), std::string::npos) << r.message;
}

TEST(LbfgsTrainer, AConvergedStageHandsOverToTheNextStage) {
  SmallPinn pinn;
  StageSpec loose = stage("lbfgs", 1.0, 1000);
  loose.tolerance = 1e3;  // met at the first iterate
  const auto r = train(pinn, {loose, stage("adam", 1e-3, 10)});
  EXPECT_EQ(r.outcome, Outcome::completed);
  EXPECT_EQ(r.steps, 10);
  EXPECT_EQ(r.history.at("stage").front(), 0);
  EXPECT_EQ(r.history.at("stage")[1], 1);
}

// The tiny network interpolates its 24 points: L-BFGS drives the loss to
// rounding level, where its line search fails (or the loss stalls). Either
// way the stage ends by itself and the next one runs from the lbfgs result.
TEST(LbfgsTrainer, AStageThatRunsOutOfProgressHandsOverToTheNextStage) {
  SmallPinn pinn;
  StageSpec endless = stage("lbfgs", 1.0, 5000);
  endless.tolerance = 1e-300;
  // Adam's first step moves every weight by lr whatever the gradient: from a
  // loss at rounding level that is a jump of many orders, not a divergence.
  // Ten Adam steps always include a history row (one every 10 steps),
  // wherever the L-BFGS stage ended.
  const auto r = train(pinn, {endless, stage("adam", 1e-3, 10)});
  ASSERT_EQ(r.outcome, Outcome::completed) << r.message;
  EXPECT_LT(r.steps, 5000);
  const auto& stages = r.history.at("stage");
  const auto& loss = r.history.at("loss");
  EXPECT_EQ(stages[stages.size() - 2], 1);
  double lbfgs_best = loss.front();
  for (std::size_t i = 0; i < loss.size(); ++i)
    if (stages[i] == 0) lbfgs_best = std::min(lbfgs_best, loss[i]);
  // Rounding level: where the loss's own round-off (eps relative) hides the
  // line search's progress, so tol(1e-12) in float.
  EXPECT_LT(lbfgs_best, testing::tol(1e-12));
  if (!r.message.empty()) {
    EXPECT_NE(r.message.find("stage 0 (lbfgs) stopped at step"), std::string::npos) << r.message;
  }
}

}  // namespace pinnkit::solvers
