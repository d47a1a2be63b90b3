// init_from, adapters and freeze through the real binary: a fine-tune that
// starts exactly where its pretrain ended, the /adapter group and parameter
// counts in the file, and exit code 2 for each kind of bad input.
#include <gtest/gtest.h>

#include "io/result_reader.hpp"

#include "support/cli.hpp"
#include "support/precision.hpp"

namespace pinnkit::io {
namespace {

const char* const config = pinnkit::testing::tiny_finetune_config;

struct Pretrained {
  pinnkit::testing::ScratchDir dir;
  std::string cfg = dir.write("tiny.yaml", config);
  pinnkit::testing::CliResult pre = pinnkit::testing::run_pinnkit("run tiny.yaml --quiet -o pre.h5", dir.path());
};

TEST(InitFromCli, LoraFineTuneStartsWhereThePretrainEnded) {
  Pretrained p;
  ASSERT_EQ(p.pre.code, 0) << p.pre.output;
  for (const char* init : {"standard", "spectral", "balanced_random"}) {
    const auto r = pinnkit::testing::run_pinnkit(
        std::string("run tiny.yaml --quiet -o ft.h5 --set init_from=pre.h5 --set adapter.type=lora "
                    "--set adapter.rank=2 --set adapter.init=") + init, p.dir.path());
    ASSERT_EQ(r.code, 0) << r.output;
    const ResultFile pre = read_result(p.dir.file("pre.h5")), ft = read_result(p.dir.file("ft.h5"));
    // Same problem, seed and points: the first loss of the fine-tune is the
    // last loss of the pretrain, whatever the adapter's init (up to the
    // round-off of W0 - B A: tens of eps, tol(1e-14) in float).
    EXPECT_NEAR(ft.history.at("loss").front(), pre.history.at("loss").back(),
                pinnkit::testing::tol_floor(1e-10, 1e-14) * pre.history.at("loss").back())
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

TEST(InitFromCli, OdeLoraFineTunesFromAnUnchangedStartOnMlpAndKan) {
  Pretrained p;
  ASSERT_EQ(p.pre.code, 0) << p.pre.output;
  const ResultFile pre = read_result(p.dir.file("pre.h5"));
  for (const char* integrator : {"euler", "rk4"}) {
    const auto r = pinnkit::testing::run_pinnkit(
        std::string("run tiny.yaml --quiet -o ode.h5 --set init_from=pre.h5 --set adapter.type=lora "
                    "--set adapter.rank=2 --set adapter.init=balanced_random --set training.0.optimizer=odelora "
                    "--set training.0.lr=1e-3 --set training.0.rebalance=true --set training.0.integrator=") +
            integrator,
        p.dir.path());
    ASSERT_EQ(r.code, 0) << r.output;
    const ResultFile ft = read_result(p.dir.file("ode.h5"));
    const auto& loss = ft.history.at("loss");
    EXPECT_NEAR(loss.front(), pre.history.at("loss").back(), 1e-10 * loss.front()) << integrator;
    EXPECT_LT(loss.back(), loss.front()) << integrator;
  }
  // Without an adapter: exit 2 naming the stage's optimizer.
  const auto bad = pinnkit::testing::run_pinnkit("run tiny.yaml --quiet -o bad.h5 --set training.0.optimizer=odelora",
                                                 p.dir.path());
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("training[0].optimizer"), std::string::npos) << bad.output;
  // KAN: lora_kan factors trained by odelora.
  p.dir.write("kan.yaml", std::string(config).replace(std::string(config).find("model: {type: mlp, hidden: [6, 5], activation: tanh}"),
                                                      std::string("model: {type: mlp, hidden: [6, 5], activation: tanh}").size(),
                                                      "model: {type: kan, kan_hidden: [4], grid: 3, degree: 3}"));
  const auto kan = pinnkit::testing::run_pinnkit(
      "run kan.yaml --quiet -o kan.h5 --set adapter.type=lora_kan --set adapter.rank=2 "
      "--set adapter.init=balanced_random --set training.0.optimizer=odelora --set training.0.lr=1e-3",
      p.dir.path());
  ASSERT_EQ(kan.code, 0) << kan.output;
  const ResultFile k = read_result(p.dir.file("kan.h5"));
  EXPECT_LT(k.history.at("loss").back(), k.history.at("loss").front());
  ASSERT_NE(k.adapter(), nullptr);
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
