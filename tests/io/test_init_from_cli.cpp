// init_from, adapters and freeze through the real binary: a fine-tune that
// starts exactly where its pretrain ended, the /adapter group and parameter
// counts in the file, and exit code 2 for each kind of bad input.
#include <gtest/gtest.h>

#include "io/result_reader.hpp"

#include "support/cli.hpp"

namespace pinnkit::io {
namespace {

const char* const config = R"(name: tiny
seed: 3
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [6, 5], activation: tanh}
sampling: {interior: 32, boundary: 16, method: sobol}
training: [{optimizer: adam, lr: 1.0e-2, steps: 5}]
evaluation: {every: 0, points: grid, grid: [5, 5]}
output: {xdmf: false}
)";

struct Pretrained {
  pinnkit::testing::ScratchDir dir;
  std::string cfg = dir.write("tiny.yaml", config);
  pinnkit::testing::CliResult pre = pinnkit::testing::run_pinnkit("run tiny.yaml --quiet -o pre.h5", dir.path());
};

TEST(InitFromCli, LoraFineTuneStartsWhereThePretrainEnded) {
  Pretrained p;
  ASSERT_EQ(p.pre.code, 0) << p.pre.output;
  for (const char* init : {"standard", "spectral"}) {
    const auto r = pinnkit::testing::run_pinnkit(
        std::string("run tiny.yaml --quiet -o ft.h5 --set init_from=pre.h5 --set adapter.type=lora "
                    "--set adapter.rank=2 --set adapter.init=") + init, p.dir.path());
    ASSERT_EQ(r.code, 0) << r.output;
    const ResultFile pre = read_result(p.dir.file("pre.h5")), ft = read_result(p.dir.file("ft.h5"));
    // Same problem, seed and points: the first loss of the fine-tune is the
    // last loss of the pretrain, whatever the adapter's init.
    EXPECT_NEAR(ft.history.at("loss").front(), pre.history.at("loss").back(), 1e-10 * pre.history.at("loss").back())
        << init;
    ASSERT_NE(ft.adapter(), nullptr);
    EXPECT_EQ(ft.adapter()->attrs.at("dense1.rank"), "2");
    EXPECT_EQ(ft.adapter()->attrs.at("dense1.init"), init);
    // LoRA on dense0 (2 -> 6, r 2), dense1 (6 -> 5, r 2), dense2 (5 -> 1, r 1).
    EXPECT_EQ(ft.metrics.at("params_trainable"), 2 * (2 + 6) + 2 * (6 + 5) + 1 * (5 + 1));
    EXPECT_EQ(ft.metrics.at("params_total"), (2 * 6 + 6) + (6 * 5 + 5) + (5 + 1) + 44);
    EXPECT_EQ(pre.metrics.at("params_trainable"), pre.metrics.at("params_total"));
    // /model holds the merged network only: it loads into a plain config.
    EXPECT_EQ(ft.model->blocks.size(), 6u);
  }
  const auto again = pinnkit::testing::run_pinnkit("run tiny.yaml --quiet -o again.h5 --set init_from=ft.h5", p.dir.path());
  EXPECT_EQ(again.code, 0) << again.output;
}

TEST(InitFromCli, BadInputExitsWithTwoNamingFileAndKey) {
  Pretrained p;
  ASSERT_EQ(p.pre.code, 0) << p.pre.output;
  struct Case {
    const char* args;
    const char* expected;
  };
  const Case cases[] = {
      {"--set init_from=pre.h5 --set model.hidden=[6,6]", "pre.h5: model.hidden: expected [6, 6] (as in the config), got [6, 5]"},
      {"--set init_from=pre.h5 --set problem.pde=poisson3d --set evaluation.grid=[5,5,5]",
       "pre.h5: problem (inputs): expected 3"},
      {"--set init_from=missing.h5", "tiny.yaml: init_from: expected a pinnkit result file, got 'missing.h5'"},
      {"--set init_from=tiny.yaml", "tiny.yaml: init_from: expected a pinnkit result file"},
      {"--set freeze=[dense0,kan*]", "tiny.yaml: freeze[1]: expected a parameter block name or pattern"},
      {"--set training.0.group_lr.lora_B=4", "tiny.yaml: training[0].group_lr.lora_B: expected a parameter group"},
      {"--set adapter.type=lora --set adapter.layers=[dense9]", "tiny.yaml: adapter.layers[0]: expected a dense layer"},
  };
  for (const auto& c : cases) {
    const auto r = pinnkit::testing::run_pinnkit(std::string("run tiny.yaml --quiet -o bad.h5 ") + c.args, p.dir.path());
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expected), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace pinnkit::io
