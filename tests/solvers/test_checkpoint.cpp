// Checkpoint and restart in the trainer: a run stopped at step k and resumed
// from the checkpoint it wrote ends with parameters bit-identical to the
// uninterrupted run (1 thread: reductions in a fixed order), for Adam with
// resampling and refinement, for L-BFGS (curvature pairs), and across a
// stage change; periodic checkpoints resume the same way.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>

#include "solvers/evaluator.hpp"
#include "solvers/objective.hpp"
#include "solvers/trainer.hpp"
#include "support/solver_fixture.hpp"

namespace {

using namespace pinnkit;
using namespace pinnkit::solvers;

std::vector<StageSpec> stages(const std::vector<std::pair<std::string, int>>& s) {
  std::vector<StageSpec> out;
  for (const auto& [optimizer, steps] : s) {
    StageSpec st;
    st.optimizer = optimizer;
    st.steps = steps;
    st.lr = 3e-3;
    st.history = 5;
    st.tolerance = 1e-14;
    out.push_back(st);
  }
  return out;
}

struct Outcome {
  std::vector<double> params;
  std::optional<SavedState> checkpoint;  ///< the last one the run wrote
  std::optional<SavedState> first_checkpoint;
  int rows = 0;
  std::map<std::string, double> metrics;
};

/// Trains a fresh SmallPinn (same seed every time) through `plan`; stops by
/// request when the history reaches step `stop_at` (-1: never), writes
/// checkpoints every `every` steps, resumes from `resume` when given.
Outcome train(const std::vector<StageSpec>& plan, int stop_at, int every, const SavedState* resume,
              bool with_sampling_changes) {
  pinnkit::testing::SmallPinn pinn;
  if (with_sampling_changes) {
    pinn.sampling.resample_every = 3;
    pinn.sampling.method = "uniform";
    pinn.sampling.refine.every = 4;
    pinn.sampling.refine.candidates = 40;
    pinn.sampling.refine.add = 2;
    pinn.sampling.refine.max_points = 30;
  }
  const ExecSpace exec;
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 11);
  Evaluator evaluator(pinn.problem, pinnkit::testing::grid_at_end(5));
  std::atomic<bool> stop{false};
  Outcome out;
  auto options = pinnkit::testing::quiet_options();
  options.stop_requested = &stop;
  options.history_every = 1;  // a row per step: the stop lands on the step asked for
  options.checkpoint_every = every;
  options.on_checkpoint = [&](const SavedState& s) {
    out.checkpoint = s;
    if (!out.first_checkpoint) out.first_checkpoint = s;
  };
  options.resume = resume;
  Trainer trainer(*pinn.model, pinn.store, objective, evaluator, plan, pinn.sampling, EvaluationSpec{}, options);
  const auto result = trainer.run(exec, [&](const std::map<std::string, double>& row) {
    ++out.rows;
    if (stop_at >= 0 && row.at("step") >= stop_at) stop = true;
  });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), pinn.store.params());
  out.params.assign(host.data(), host.data() + host.size());
  out.metrics = result.metrics;
  return out;
}

void expect_resumed_run_equals_uninterrupted(const std::vector<StageSpec>& plan, int stop_at, bool sampling) {
  const Outcome whole = train(plan, -1, 0, nullptr, sampling);
  const Outcome stopped = train(plan, stop_at, 0, nullptr, sampling);
  ASSERT_TRUE(stopped.checkpoint.has_value()) << "a stop request writes a checkpoint";
  ASSERT_LT(stopped.metrics.at("steps"), whole.metrics.at("steps")) << "the stop came before the end";
  const Outcome resumed = train(plan, -1, 0, &*stopped.checkpoint, sampling);
  ASSERT_EQ(resumed.params.size(), whole.params.size());
  for (std::size_t i = 0; i < whole.params.size(); ++i)
    ASSERT_EQ(resumed.params[i], whole.params[i]) << "parameter " << i << " after resuming at step " << stop_at;
  EXPECT_EQ(resumed.metrics.at("steps"), whole.metrics.at("steps"));
  EXPECT_EQ(resumed.metrics.at("evaluations"), whole.metrics.at("evaluations"));
  // The rows kept from the interrupted run plus the resumed run's make the whole history.
  EXPECT_EQ(checkpoint_history_rows(*stopped.checkpoint) + resumed.rows, whole.rows);
}

TEST(Checkpoint, AdamWithResamplingAndRefinementResumesBitForBit) {
  expect_resumed_run_equals_uninterrupted(stages({{"adam", 24}}), 10, true);
}

TEST(Checkpoint, LbfgsResumesWithItsCurvaturePairs) {
  expect_resumed_run_equals_uninterrupted(stages({{"lbfgs", 25}}), 12, false);
}

TEST(Checkpoint, AStageChangeInBetweenResumesBitForBit) {
  // Stopped in the Adam stage, resumed through the L-BFGS stage; and stopped
  // in the L-BFGS stage after the change.
  expect_resumed_run_equals_uninterrupted(stages({{"adam", 12}, {"lbfgs", 12}}), 5, false);
  expect_resumed_run_equals_uninterrupted(stages({{"adam", 12}, {"lbfgs", 12}}), 16, false);
}

TEST(Checkpoint, PeriodicCheckpointsResumeBitForBit) {
  const auto plan = stages({{"adam", 10}, {"lbfgs", 10}});
  const Outcome whole = train(plan, -1, 0, nullptr, true);
  for (int every : {4, 13}) {  // one in the Adam stage, one in the L-BFGS stage
    const Outcome periodic = train(plan, -1, every, nullptr, true);
    ASSERT_TRUE(periodic.first_checkpoint.has_value());
    EXPECT_EQ(periodic.params, whole.params) << "writing checkpoints changes nothing";
    const Outcome resumed = train(plan, -1, 0, &*periodic.first_checkpoint, true);
    EXPECT_EQ(resumed.params, whole.params) << "resumed from the checkpoint of every " << every;
  }
}

TEST(Checkpoint, ACheckpointOfAnotherNetworkIsRefused) {
  const Outcome stopped = train(stages({{"adam", 10}}), 3, 0, nullptr, false);
  ASSERT_TRUE(stopped.checkpoint.has_value());
  SavedState other = *stopped.checkpoint;
  other.arrays()["params"].pop_back();
  EXPECT_THROW(train(stages({{"adam", 10}}), -1, 0, &other, false), InputError);
}

}  // namespace
