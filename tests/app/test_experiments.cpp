// Every shipped experiment config passes `pinnkit validate` through the real
// binary, so a renamed key or a tightened check cannot leave a broken file in
// experiments/. validate builds the problem (data files included), the model
// and the points but trains nothing.
//
// Every *.yaml under experiments/ is a complete run config, those in
// experiments/transfer/ included: the *_target.yaml files are the
// from-scratch arm as written, and experiments/transfer/run.sh only adds
// init_from (a result file of the pretrain runs, not in the repository) and
// adapter settings through --set; those combinations are not checked here.
// Sweep files (*sweep.yaml, experiments/transfer_bench/) are not run configs:
// every run they expand to must load, init_from aside (the pretraining runs
// write those files).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "io/config.hpp"
#include "io/sweep_spec.hpp"
#include "support/cli.hpp"

namespace pinnkit::app {
namespace {

namespace fs = std::filesystem;

bool is_sweep(const std::string& file) {
  const std::string tail = "sweep.yaml";
  return file.size() >= tail.size() && file.compare(file.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<std::string> experiment_configs() {
  const fs::path root = fs::path(PINNKIT_SOURCE_DIR);
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "experiments"))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(fs::relative(entry.path(), root).string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Experiments, EveryConfigValidates) {
  const std::vector<std::string> files = experiment_configs();
  ASSERT_GE(files.size(), 20u) << "experiments/ holds fewer configs than expected";
  // From the repository root, as the README runs them.
  for (const auto& file : files) {
    if (is_sweep(file)) continue;
    const auto r = pinnkit::testing::run_pinnkit("validate '" + file + "'", PINNKIT_SOURCE_DIR);
    EXPECT_EQ(r.code, 0) << "pinnkit validate " << file << " exited " << r.code << ":\n" << r.output;
  }
}

TEST(Experiments, EverySweepFileExpandsToRunsThatLoad) {
  struct InRepositoryRoot {
    fs::path before = fs::current_path();
    InRepositoryRoot() { fs::current_path(PINNKIT_SOURCE_DIR); }
    ~InRepositoryRoot() { fs::current_path(before); }
  } in_root;
  int sweeps = 0;
  for (const auto& file : experiment_configs()) {
    if (!is_sweep(file)) continue;
    ++sweeps;
    const auto spec = io::load_sweep(file);
    for (const auto& run : io::expand_sweep(spec))
      EXPECT_NO_THROW(io::load_config(spec.base, run.overrides)) << file << ": " << run.name;
  }
  EXPECT_GE(sweeps, 12);  // experiments/transfer_bench: a pretraining and a fine-tuning sweep per family
}

}  // namespace
}  // namespace pinnkit::app
