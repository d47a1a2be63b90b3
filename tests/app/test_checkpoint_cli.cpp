// `pinnkit run --resume` and output.checkpoint_every through the command
// line: a run resumed from its checkpoint ends with the same parameters as
// the uninterrupted run (1 thread), whether the checkpoint was periodic or
// written on SIGTERM; a checkpoint of another config is refused (exit 2).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/result_reader.hpp"
#include "support/cli.hpp"

namespace {

using pinnkit::testing::run_pinnkit;
using pinnkit::testing::run_shell;
using pinnkit::testing::ScratchDir;

/// Adam with resampling, then L-BFGS: every kind of state a checkpoint holds.
const char* const config = R"(name: ck
seed: 2
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [8, 8], activation: tanh}
sampling: {interior: 64, boundary: 32, method: uniform, resample_every: 7}
training:
  - {optimizer: adam, lr: 1.0e-3, steps: STEPS}
  - {optimizer: lbfgs, steps: 20}
evaluation: {every: 10, points: grid, grid: [11, 11]}
output: {file: whole.h5, checkpoint_every: 20}
)";

std::string with_steps(int steps) {
  std::string c = config;
  c.replace(c.find("STEPS"), 5, std::to_string(steps));
  return c;
}

/// Equal entry by entry, NaN equal to NaN (rules without H predict NaN).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

std::vector<double> params_of(const std::string& path) {
  const auto r = pinnkit::io::read_result(path);
  return r.model->params;
}

TEST(CheckpointCli, ResumingAPeriodicCheckpointEndsWhereTheWholeRunEnds) {
  ScratchDir dir;
  dir.write("ck.yaml", with_steps(30));
  const auto whole = run_pinnkit("run ck.yaml -q --threads 1", dir.path());
  ASSERT_EQ(whole.code, 0) << whole.output;
  // whole.h5 keeps its last checkpoint (step 40, in the L-BFGS stage).
  const auto resumed = run_pinnkit("run ck.yaml -q --threads 1 --resume whole.h5 -o resumed.h5", dir.path());
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_EQ(params_of(dir.file("resumed.h5")), params_of(dir.file("whole.h5")));
  const auto a = pinnkit::io::read_result(dir.file("whole.h5"));
  const auto b = pinnkit::io::read_result(dir.file("resumed.h5"));
  EXPECT_EQ(a.history_rows(), b.history_rows());
  EXPECT_EQ(a.history.at("loss"), b.history.at("loss"));
  EXPECT_EQ(a.metrics.at("evaluations"), b.metrics.at("evaluations"));
}

TEST(CheckpointCli, SigtermWritesACheckpointThatResumesToTheSameResult) {
  ScratchDir dir;
  dir.write("ck.yaml", with_steps(4000));
  ASSERT_EQ(run_pinnkit("run ck.yaml -q --threads 1 -o whole.h5", dir.path()).code, 0);
  // SIGTERM once training writes history (the signal handler is in place by then).
  const std::string stopped = run_shell(
      "OMP_NUM_THREADS=1 " PINNKIT_BINARY " run ck.yaml -q -o cut.h5 & pid=$!; "
      "while [ ! -s cut.h5.partial ]; do sleep 0.05; done; sleep 0.3; kill -TERM $pid; wait $pid; echo exit=$?",
      dir.path()).output;
  ASSERT_NE(stopped.find("exit=130"), std::string::npos) << stopped;
  const auto cut = pinnkit::io::read_result(dir.file("cut.h5"));
  EXPECT_EQ(pinnkit::io::to_string(cut.status), "interrupted");
  ASSERT_TRUE(cut.groups.count("checkpoint")) << "SIGTERM writes a checkpoint";
  const auto resumed = run_pinnkit("run ck.yaml -q --threads 1 --resume cut.h5 -o cut.h5", dir.path());
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_EQ(params_of(dir.file("cut.h5")), params_of(dir.file("whole.h5")));
  EXPECT_EQ(pinnkit::io::read_result(dir.file("cut.h5")).history_rows(),
            pinnkit::io::read_result(dir.file("whole.h5")).history_rows());
}

// What a requeued Slurm array task does: `sweep --index I` again after the
// task was stopped by SIGTERM continues the run from its checkpoint.
TEST(CheckpointCli, ASweepTaskStoppedBySigtermResumesWhenRunAgain) {
  ScratchDir dir;
  dir.write("ck.yaml", with_steps(4000));
  ASSERT_EQ(run_pinnkit("run ck.yaml -q --threads 1 -o whole.h5", dir.path()).code, 0);
  dir.write("s.yaml", "base: ck.yaml\noutput: sw\n");
  const std::string stopped = run_shell(
      "OMP_NUM_THREADS=1 " PINNKIT_BINARY " sweep s.yaml --index 0 -q & pid=$!; "
      "while [ ! -s sw/runs/r0000.h5.partial ]; do sleep 0.05; done; sleep 0.3; kill -TERM $pid; wait $pid; "
      "echo exit=$?",
      dir.path()).output;
  ASSERT_NE(stopped.find("exit=130"), std::string::npos) << stopped;
  const auto again = run_shell("OMP_NUM_THREADS=1 " PINNKIT_BINARY " sweep s.yaml --index 0", dir.path()).output;
  EXPECT_NE(again.find("r0000 resumes from sw/runs/r0000.h5"), std::string::npos) << again;
  EXPECT_EQ(pinnkit::io::to_string(pinnkit::io::read_result(dir.file("sw/runs/r0000.h5")).status), "completed");
  EXPECT_EQ(params_of(dir.file("sw/runs/r0000.h5")), params_of(dir.file("whole.h5")));
}

// SubLoRA's joint training keeps state between steps (masks, the
// allocations so far, AdaLoRA's smoothed scores): a run resumed after some
// allocations makes the same later ones and ends where the whole run ends.
TEST(CheckpointCli, RankAllocationResumesWithItsMasksScoresAndHistory) {
  ScratchDir dir;
  dir.write("ck.yaml", with_steps(30));
  ASSERT_EQ(run_pinnkit("run ck.yaml -q --threads 1 -o pre.h5 --set output.checkpoint_every=0", dir.path()).code, 0);
  const std::string svd =
      " -q --threads 1 --set init_from=pre.h5 --set adapter.type=svd_lora --set adapter.rank=3"
      " --set 'training=[{optimizer: adam, lr: 1.0e-2, steps: 25}]' --set sampling.resample_every=0"
      " --set adapter.budget.target=4 --set adapter.budget.warmup=4 --set adapter.budget.final_steps=4"
      " --set adapter.budget.every=4 --set output.checkpoint_every=13 --set adapter.selection=";
  for (const std::string rule : {"sublora", "adalora"}) {
    const auto whole = run_pinnkit("run ck.yaml -o whole_" + rule + ".h5" + svd + rule, dir.path());
    ASSERT_EQ(whole.code, 0) << whole.output;
    // whole_*.h5 keeps its checkpoint of step 13: allocations 8 and 12 done, 16, 20 and 21 (T - t_f) to come.
    const auto resumed = run_pinnkit(
        "run ck.yaml -o resumed_" + rule + ".h5 --resume whole_" + rule + ".h5" + svd + rule, dir.path());
    ASSERT_EQ(resumed.code, 0) << resumed.output;
    const auto a = pinnkit::io::read_result(dir.file("whole_" + rule + ".h5"));
    const auto b = pinnkit::io::read_result(dir.file("resumed_" + rule + ".h5"));
    EXPECT_EQ(b.model->params, a.model->params) << rule;
    for (const auto& [key, data] : a.adapter()->datasets) {
      if (key == "allocation.seconds") continue;  // wall time
      EXPECT_TRUE(same_bits(b.adapter()->datasets.at(key).values, data.values)) << rule << " " << key;
    }
    EXPECT_EQ(a.adapter()->datasets.at("allocation.step").values, (std::vector<double>{8, 12, 16, 20, 21}));
  }
}

TEST(CheckpointCli, ACheckpointOfAnotherConfigOrNoneIsRefused) {
  ScratchDir dir;
  dir.write("ck.yaml", with_steps(30));
  ASSERT_EQ(run_pinnkit("run ck.yaml -q", dir.path()).code, 0);
  const auto other = run_pinnkit("run ck.yaml -q --resume whole.h5 -o x.h5 --set training[0].lr=0.01", dir.path());
  EXPECT_EQ(other.code, 2) << other.output;
  EXPECT_NE(other.output.find("whole.h5: /config: training[0].lr: expected 0.01"), std::string::npos) << other.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.h5")));
  ASSERT_EQ(run_pinnkit("run ck.yaml -q -o plain.h5 --set output.checkpoint_every=0", dir.path()).code, 0);
  const auto none = run_pinnkit("run ck.yaml -q --resume plain.h5 -o y.h5", dir.path());
  EXPECT_EQ(none.code, 2) << none.output;
  EXPECT_NE(none.output.find("plain.h5: /checkpoint: expected a checkpoint"), std::string::npos) << none.output;
}

}  // namespace
