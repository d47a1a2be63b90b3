// pinnkit sweep: expansion of a sweep file into runs, its errors, the folder
// it plans, the local runner (resume included), the Slurm script; and
// pinnkit collect's table. The real-Slurm test is tests/hpc/slurm_sweep.sh.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/slurm_script.hpp"
#include "app/sweep_plan.hpp"
#include "core/error.hpp"
#include "io/run_table.hpp"
#include "io/sweep_spec.hpp"
#include "support/cli.hpp"

namespace {

using pinnkit::InputError;
using pinnkit::testing::run_pinnkit;
using pinnkit::testing::ScratchDir;
namespace fs = std::filesystem;

/// The InputError message of `f`, or "" when it throws none.
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepSpec, GridIsSlowestFirstThenZipThenSeeds) {
  ScratchDir dir;
  const auto file = dir.write("s.yaml", R"(base: tiny.yaml
set: ["training[0].steps=5"]
grid:
  training[0].lr: [1e-3, 3e-3]
  model.activation: [tanh, sin]
zip:
  model.hidden: [[8, 8], [4]]
  sampling.interior: [64, 32]
seeds: [7, 9]
)");
  const auto spec = pinnkit::io::load_sweep(file);
  EXPECT_EQ(spec.output, "results/sweeps/s");
  const auto runs = pinnkit::io::expand_sweep(spec);
  ASSERT_EQ(runs.size(), 2u * 2u * 2u * 2u);
  EXPECT_EQ(runs[0].name, "r0000_lr1e-3_activationtanh_hidden8x8_interior64_s7");
  EXPECT_EQ(runs[0].overrides,
            (std::vector<std::string>{"training[0].steps=5", "training[0].lr=1e-3", "model.activation=tanh",
                                      "model.hidden=[8, 8]", "sampling.interior=64", "seed=7"}));
  EXPECT_EQ(runs[1].overrides.back(), "seed=9");                         // seeds innermost
  EXPECT_EQ(runs[2].overrides[3], "model.hidden=[4]");                    // then the zip, taken together
  EXPECT_EQ(runs[2].overrides[4], "sampling.interior=32");
  EXPECT_EQ(runs[4].overrides[2], "model.activation=sin");                // then the last grid key
  EXPECT_EQ(runs[8].overrides[1], "training[0].lr=3e-3");                 // the first grid key slowest
  for (std::size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].index, i);
}

// Cases: arms that set different keys, outermost, their overrides after the
// common ones (so a case can override them) and before the grid's.
TEST(SweepSpec, CasesAreNamedOverrideSetsOutsideTheGrid) {
  ScratchDir dir;
  const auto file = dir.write("s.yaml", R"(base: tiny.yaml
set: ["training[0].steps=5"]
cases:
  scratch:
  lora: ["adapter.type=lora", "training[0].steps=2"]
grid:
  problem.params.a: [1, 2]
seeds: [1, 2]
)");
  const auto runs = pinnkit::io::expand_sweep(pinnkit::io::load_sweep(file));
  ASSERT_EQ(runs.size(), 2u * 2u * 2u);
  EXPECT_EQ(runs[0].name, "r0000_scratch_a1_s1");
  EXPECT_EQ(runs[0].case_name, "scratch");
  EXPECT_EQ(runs[0].overrides, (std::vector<std::string>{"training[0].steps=5", "problem.params.a=1", "seed=1"}));
  EXPECT_EQ(runs[4].name, "r0004_lora_a1_s1");
  EXPECT_EQ(runs[4].overrides, (std::vector<std::string>{"training[0].steps=5", "adapter.type=lora",
                                                         "training[0].steps=2", "problem.params.a=1", "seed=1"}));
  EXPECT_EQ(runs[7].name, "r0007_lora_a2_s2");
}

TEST(SweepSpec, WithoutAxesOrSeedsIsTheBaseRunOnce) {
  ScratchDir dir;
  const auto runs = pinnkit::io::expand_sweep(pinnkit::io::load_sweep(dir.write("s.yaml", "base: b.yaml\noutput: o\n")));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].name, "r0000");
  EXPECT_TRUE(runs[0].overrides.empty());
}

TEST(SweepSpec, ErrorsNameTheFileTheLineAndTheKey) {
  ScratchDir dir;
  auto error_of = [&](const std::string& text) {
    const auto file = dir.write("bad.yaml", text);
    return input_error([&] { pinnkit::io::load_sweep(file); });
  };
  EXPECT_NE(error_of("base: b.yaml\ngird: {a: [1]}\n").find("bad.yaml:2: gird: expected one of"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ngird: {a: [1]}\n").find("did you mean 'grid'"), std::string::npos);
  EXPECT_NE(error_of("output: o\n").find("base: expected the base run config"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nzip:\n  a: [1, 2]\n  b: [1]\n").find("zip.b: expected 2 values"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ngrid:\n  a: [1]\nzip:\n  a: [2]\n").find("a: expected each key in one of grid and zip"),
            std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ngrid:\n  a: []\n").find("grid.a: expected a non-empty list"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nseeds: [1, -2]\n").find("seeds[1]: expected an integer >= 0, got -2"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nseeds: [1, 1]\n").find("expected distinct seeds"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nset: [nonsense]\n").find("set[0]: expected key.path=value"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nslurm: {cpus_per_task: 0}\n").find("slurm.cpus_per_task: expected an integer in 1..512"),
            std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\nslurm: {partion: x}\n").find("did you mean 'partition'"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ncases: {a/b: []}\n").find("cases.a/b: expected a case name"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ncases: {a: [x]}\n").find("cases.a[0]: expected key.path=value"), std::string::npos);
  EXPECT_NE(error_of("base: b.yaml\ncases: []\n").find("cases: expected a non-empty map"), std::string::npos);
}

TEST(SweepPlan, ChecksEveryRunAndRefusesAFolderOfAnotherSweep) {
  ScratchDir dir;
  dir.write("tiny.yaml", pinnkit::testing::tiny_config);
  const std::string base = dir.file("tiny.yaml"), out = dir.file("sw");
  const auto good = dir.write("s.yaml", "base: " + base + "\noutput: " + out + "\nseeds: [1, 2]\n");
  const auto runs = pinnkit::app::write_sweep_plan(pinnkit::io::load_sweep(good));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_TRUE(fs::exists(out + "/manifest.yaml"));
  EXPECT_EQ(pinnkit::app::run_state(runs[1]), "pending");
  std::ifstream config(runs[1].config);
  const std::string text((std::istreambuf_iterator<char>(config)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("seed: 2"), std::string::npos) << text;
  EXPECT_NE(text.find(runs[1].result), std::string::npos) << "the resolved config names its result file";
  // The same sweep plans the same folder again (a resume); another is refused.
  EXPECT_EQ(pinnkit::app::write_sweep_plan(pinnkit::io::load_sweep(good)).size(), 2u);
  const auto other = dir.write("o.yaml", "base: " + base + "\noutput: " + out + "\nseeds: [1, 3]\n");
  EXPECT_NE(input_error([&] { pinnkit::app::write_sweep_plan(pinnkit::io::load_sweep(other)); })
                .find("planned from a different sweep"),
            std::string::npos);
  // A run whose overrides break the config is named before anything runs.
  const auto broken = dir.write("b.yaml", "base: " + base + "\noutput: " + dir.file("sw2") +
                                              "\ngrid:\n  training[0].lr: [1e-3, -1]\n");
  const auto msg = input_error([&] { pinnkit::app::write_sweep_plan(pinnkit::io::load_sweep(broken)); });
  EXPECT_NE(msg.find("run r0001_lr-1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("training[0].lr"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.file("sw2") + "/manifest.yaml"));
}

TEST(SweepCli, LocalRunsEveryRunAndResumesWithoutRedoingCompletedOnes) {
  ScratchDir dir;
  dir.write("tiny.yaml", pinnkit::testing::tiny_config);
  dir.write("s.yaml", "base: tiny.yaml\noutput: sw\nset: [\"training[0].steps=3\"]\nseeds: [1, 2, 3]\n");
  const auto first = run_pinnkit("sweep s.yaml --local -j 2 --threads 1", dir.path());
  ASSERT_EQ(first.code, 0) << first.output;
  EXPECT_NE(first.output.find("3 runs, 0 completed earlier (kept), 3 to run, 2 at a time"), std::string::npos) << first.output;
  const fs::path runs = dir.path() / "sw" / "runs";
  for (const char* n : {"r0000_s1.h5", "r0001_s2.h5", "r0002_s3.h5"}) EXPECT_TRUE(fs::exists(runs / n)) << n;
  const auto kept_time = fs::last_write_time(runs / "r0000_s1.h5");
  fs::remove(runs / "r0001_s2.h5");
  const auto again = run_pinnkit("sweep s.yaml --local", dir.path());
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("2 completed earlier (kept), 1 to run"), std::string::npos) << again.output;
  EXPECT_TRUE(fs::exists(runs / "r0001_s2.h5"));
  EXPECT_EQ(fs::last_write_time(runs / "r0000_s1.h5"), kept_time);
  const auto listing = run_pinnkit("sweep s.yaml", dir.path());
  EXPECT_NE(listing.output.find("r0002_s3  completed"), std::string::npos) << listing.output;
  // --index runs one run; a completed one is left alone.
  const auto one = run_pinnkit("sweep s.yaml --index 2", dir.path());
  EXPECT_EQ(one.code, 0) << one.output;
  EXPECT_NE(one.output.find("r0002_s3 is completed"), std::string::npos) << one.output;
  // collect: the seed differs between the runs, so it is a column.
  const auto table = run_pinnkit("collect sw --csv", dir.path());
  ASSERT_EQ(table.code, 0) << table.output;
  EXPECT_EQ(table.output.rfind("run,status,seed,rel_l2,", 0), 0u) << table.output;
  EXPECT_NE(table.output.find("sw/runs/r0001_s2.h5,completed,2,"), std::string::npos) << table.output;
}

TEST(SweepCli, BadCommandLinesExitWith2) {
  ScratchDir dir;
  dir.write("tiny.yaml", pinnkit::testing::tiny_config);
  dir.write("s.yaml", "base: tiny.yaml\noutput: sw\nseeds: [1]\n");
  for (const char* args : {"sweep s.yaml --index 5", "sweep s.yaml --submit", "sweep s.yaml --local --slurm",
                           "sweep s.yaml --local -j 0", "sweep missing.yaml", "collect nothing_here",
                           "sweep s.yaml --after 12", "sweep s.yaml --slurm --submit --after 12-x"}) {
    const auto r = run_pinnkit(args, dir.path());
    EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
  }
  const auto idx = run_pinnkit("sweep s.yaml --index 5", dir.path());
  EXPECT_NE(idx.output.find("--index: expected a run index in 0..0"), std::string::npos) << idx.output;
}

TEST(SlurmScript, AsksForTheSettingsAndRunsOneIndexPerTask) {
  pinnkit::io::SweepSpec spec;
  spec.file = "sweeps/lr.yaml";
  spec.output = "results/sweeps/lr";
  spec.slurm.partition = "short";
  spec.slurm.account = "proj42";
  spec.slurm.time = "00:30:00";
  spec.slurm.cpus_per_task = 4;
  spec.slurm.memory = "4G";
  const auto s = pinnkit::app::slurm_array_script(spec, 12, "/opt/pinnkit/bin/pinnkit", "/home/u/work");
  for (const char* line :
       {"#SBATCH --array=0-11\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --partition=short\n", "#SBATCH --account=proj42\n",
        "#SBATCH --time=00:30:00\n", "#SBATCH --mem=4G\n", "#SBATCH --requeue\n", "cd '/home/u/work'\n",
        "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}\n",
        "exec '/opt/pinnkit/bin/pinnkit' sweep 'sweeps/lr.yaml' --index \"$SLURM_ARRAY_TASK_ID\"\n"})
    EXPECT_NE(s.find(line), std::string::npos) << line << "\n" << s;
  spec.slurm.requeue = false;
  spec.slurm.partition.clear();
  const auto plain = pinnkit::app::slurm_array_script(spec, 1, "/p", "/w");
  EXPECT_EQ(plain.find("--requeue"), std::string::npos);
  EXPECT_EQ(plain.find("--partition"), std::string::npos);
}

TEST(RunTable, ShowsOnlyDifferingKeysAndQuotesForEachFormat) {
  pinnkit::io::ResultFile a, b;
  a.provenance.config_yaml = "name: x\nmodel: {hidden: [8, 8]}\ntraining:\n  - {lr: 0.001}\noutput: {file: a.h5}\n";
  b.provenance.config_yaml = "name: x\nmodel: {hidden: [16]}\ntraining:\n  - {lr: 0.001}\noutput: {file: b.h5}\n";
  a.status = pinnkit::io::RunStatus::completed;
  b.status = pinnkit::io::RunStatus::diverged;
  a.metrics = {{"rel_l2", 0.5}, {"zeta", 1}};
  b.metrics = {{"rel_l2", 0.25}};
  const auto t = pinnkit::io::run_table({a, b}, {"a,1.h5", "b|2.h5"});
  EXPECT_EQ(t.columns, (std::vector<std::string>{"run", "status", "model.hidden", "rel_l2", "zeta"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"b|2.h5", "diverged", "[16]", "0.25", ""}));
  EXPECT_NE(pinnkit::io::format_csv(t).find("\"a,1.h5\",completed,\"[8, 8]\",0.5,1\n"), std::string::npos)
      << pinnkit::io::format_csv(t);
  EXPECT_NE(pinnkit::io::format_markdown(t).find("| b\\|2.h5 | diverged | [16] | 0.25 |  |"), std::string::npos)
      << pinnkit::io::format_markdown(t);
  EXPECT_EQ(pinnkit::io::flatten_config("training:\n  - {lr: 1}\n  - {steps: 2}\n"),
            (std::vector<std::pair<std::string, std::string>>{{"training[0].lr", "1"}, {"training[1].steps", "2"}}));
}

}  // namespace
