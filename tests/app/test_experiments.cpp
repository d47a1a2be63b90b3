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
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace pinnkit::app {
namespace {

namespace fs = std::filesystem;

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
    const auto r = pinnkit::testing::run_pinnkit("validate '" + file + "'", PINNKIT_SOURCE_DIR);
    EXPECT_EQ(r.code, 0) << "pinnkit validate " << file << " exited " << r.code << ":\n" << r.output;
  }
}

}  // namespace
}  // namespace pinnkit::app
