// svd_lora (SubLoRA's joint training) through the real binary: the
// fine-tune starts where the pretrain ended (s = 0), /adapter holds P, s,
// Q, the masks and the allocation history, the final budget is kept, and a
// budget beyond the adapter's components exits 2 naming the key.
#include <gtest/gtest.h>

#include "io/result_reader.hpp"

#include "support/cli.hpp"

namespace pinnkit::io {
namespace {

const char* const config = pinnkit::testing::tiny_finetune_config;

TEST(SvdLoraCli, FineTuneKeepsTheBudgetAndWritesTheAllocationHistory) {
  pinnkit::testing::ScratchDir dir;
  dir.write("tiny.yaml", config);
  const auto pre = pinnkit::testing::run_pinnkit("run tiny.yaml --quiet -o pre.h5", dir.path());
  ASSERT_EQ(pre.code, 0) << pre.output;
  const std::string svd =
      "run tiny.yaml --quiet -o ft.h5 --set init_from=pre.h5 --set adapter.type=svd_lora --set adapter.rank=2 "
      "--set training.0.steps=20 --set adapter.budget.warmup=4 --set adapter.budget.final_steps=4 "
      "--set adapter.budget.every=4 --set adapter.selection=";
  for (const char* rule : {"sublora", "adalora"}) {
    const auto r = pinnkit::testing::run_pinnkit(svd + rule + " --set adapter.budget.target=3", dir.path());
    ASSERT_EQ(r.code, 0) << r.output;
    const ResultFile p = read_result(dir.file("pre.h5")), ft = read_result(dir.file("ft.h5"));
    // s = 0 at the start: the PINN loss is the pretrain's last (the orthogonality term comes on top).
    const double first = ft.history.at("loss").front() - ft.history.at("loss_orthogonality").front();
    EXPECT_NEAR(first, p.history.at("loss").back(), 1e-10 * first) << rule;
    ASSERT_NE(ft.adapter(), nullptr);
    const auto& a = *ft.adapter();
    EXPECT_EQ(a.attrs.at("dense1.type"), "svd_lora");
    EXPECT_EQ(a.attrs.at("allocation.selection"), rule);
    EXPECT_EQ(a.datasets.at("dense1.svd_P").shape, (std::vector<std::size_t>{5, 2}));
    EXPECT_EQ(a.datasets.at("dense1.svd_Q").shape, (std::vector<std::size_t>{2, 6}));
    // R = 2 + 2 + 1 components; allocations at steps 8, 12, 16 (= T - t_f).
    EXPECT_EQ(a.datasets.at("allocation.step").values, (std::vector<double>{8, 12, 16}));
    EXPECT_EQ(a.datasets.at("allocation.mask").shape, (std::vector<std::size_t>{3, 5}));
    EXPECT_EQ(a.datasets.at("allocation.ranks").shape, (std::vector<std::size_t>{3, 3}));
    double kept = 0;
    for (const char* layer : {"dense0", "dense1", "dense2"}) {
      const auto& mask = a.datasets.at(std::string(layer) + ".svd_mask").values;
      const auto& s = a.datasets.at(std::string(layer) + ".svd_s").values;
      for (std::size_t i = 0; i < mask.size(); ++i) {
        kept += mask[i];
        if (mask[i] == 0) {
          EXPECT_EQ(s[i], 0.0) << layer;  // pruned components stay in the file at s = 0
        }
      }
    }
    EXPECT_EQ(kept, 3);
    EXPECT_EQ(ft.metrics.at("svd_components_kept"), 3);
  }
  const auto bad = pinnkit::testing::run_pinnkit(svd + std::string("sublora --set adapter.budget.target=9"), dir.path());
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("tiny.yaml"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("adapter.budget.target"), std::string::npos) << bad.output;
  // KAN layers: the coefficient tensors adapted, trained and written the same way.
  std::string kan = config;
  const std::string mlp = "model: {type: mlp, hidden: [6, 5], activation: tanh}";
  kan.replace(kan.find(mlp), mlp.size(), "model: {type: kan, kan_hidden: [4], grid: 3, degree: 3}");
  dir.write("kan.yaml", kan);
  const auto k = pinnkit::testing::run_pinnkit(
      "run kan.yaml --quiet -o kan.h5 --set adapter.type=svd_lora --set adapter.rank=2 --set training.0.steps=12 "
      "--set adapter.budget.target=2 --set adapter.budget.every=4",
      dir.path());
  ASSERT_EQ(k.code, 0) << k.output;
  const ResultFile kf = read_result(dir.file("kan.h5"));
  ASSERT_NE(kf.adapter(), nullptr);
  EXPECT_EQ(kf.adapter()->attrs.at("kan0.type"), "svd_lora_kan");
  EXPECT_EQ(kf.metrics.at("svd_components_kept"), 2);
}

}  // namespace
}  // namespace pinnkit::io
