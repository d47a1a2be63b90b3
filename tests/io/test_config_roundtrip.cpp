// Defaults, the resolved config (to_yaml) and its round trip, and the
// reference in docs/config.md.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "pde/catalog.hpp"

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::data_path;
using testing::expect_same_spec;

TEST(ConfigDefaults, MissingKeysTakeTheSpecDefaults) {
  const RunSpec spec = parse_config("name: quick\n", "quick.yaml");
  RunSpec expected;
  expected.name = "quick";
  expected.problem.params = pde::find_problem(expected.problem.pde)->default_params;
  expected.output.file = "results/quick.h5";
  expected.source_file = "quick.yaml";
  expect_same_spec(spec, expected);
  EXPECT_EQ(spec.source_file, "quick.yaml");
  ASSERT_EQ(spec.training.size(), 1u);
}

TEST(ConfigDefaults, EmptySectionsMeanDefaults) {
  const RunSpec spec = parse_config("model:\nsampling: {}\nloss: {weights: {boundary: 5}}\n", "t.yaml");
  EXPECT_EQ(spec.model.hidden, models::ModelSpec{}.hidden);
  EXPECT_EQ(spec.sampling.interior, solvers::SamplingSpec{}.interior);
  auto weights = solvers::LossSpec{}.weights;
  weights["boundary"] = 5;
  EXPECT_EQ(spec.loss.weights, weights);  // the other terms keep their defaults
}

TEST(ConfigDefaults, OutputFileDefaultsToTheRunName) {
  EXPECT_EQ(parse_config("name: burgers-a\n", "t.yaml").output.file, "results/burgers-a.h5");
  EXPECT_EQ(parse_config("name: b\noutput: {file: x/y.h5}\n", "t.yaml").output.file, "x/y.h5");
  EXPECT_EQ(parse_config("name: c\noutput: {file: null}\n", "t.yaml").output.file, "results/c.h5");
}

TEST(ConfigTraining, SingleMapIsOneStage) {
  const RunSpec spec = parse_config("training: {optimizer: lbfgs, steps: 20, history: 9}\n", "t.yaml");
  ASSERT_EQ(spec.training.size(), 1u);
  EXPECT_EQ(spec.training[0].optimizer, "lbfgs");
  EXPECT_EQ(spec.training[0].steps, 20);
  EXPECT_EQ(spec.training[0].history, 9);
  EXPECT_EQ(spec.training[0].lr, solvers::StageSpec{}.lr);
}

TEST(ConfigTraining, StagesKeepTheirOrder) {
  const RunSpec spec = load_config(data_path("full_mlp.yaml"));
  ASSERT_EQ(spec.training.size(), 2u);
  EXPECT_EQ(spec.training[0].optimizer, "adamw");
  EXPECT_EQ(spec.training[0].schedule.type, "exponential");
  EXPECT_EQ(spec.training[0].betas, (std::array<double, 2>{0.8, 0.99}));
  EXPECT_EQ(spec.training[1].optimizer, "lbfgs");
  EXPECT_EQ(spec.training[1].history, 20);
}

void expect_round_trip(const RunSpec& spec) {
  const std::string text = to_yaml(spec);
  SCOPED_TRACE(text);
  const RunSpec back = parse_config(text, spec.source_file);
  expect_same_spec(back, spec);
  EXPECT_EQ(to_yaml(back), text);  // stable: the resolved config is a fixed point
}

TEST(ConfigRoundTrip, FullCatalogConfig) {
  const RunSpec spec = load_config(data_path("full_mlp.yaml"));
  EXPECT_EQ(spec.problem.params.at("a"), 2.5);
  EXPECT_EQ(spec.model.type, "kan");
  expect_round_trip(spec);
}

TEST(ConfigRoundTrip, CustomProblem) { expect_round_trip(load_config(data_path("custom_burgers.yaml"))); }

TEST(ConfigRoundTrip, DefaultsOnly) { expect_round_trip(parse_config("name: d\n", "d.yaml")); }

TEST(ConfigRoundTrip, AwkwardValuesSurvive) {
  RunSpec spec = parse_config("name: d\n", "d.yaml");
  spec.name = "a: b # not a comment";
  spec.seed = 18446744073709551615ull;
  spec.init_from = "results/it's \"quoted\".h5";
  spec.training[0].lr = 0.1 + 0.2;  // needs 17 digits
  spec.training[0].eps = 1e-300;
  spec.training[0].schedule.min_lr = 5e-324;  // smallest subnormal
  spec.model.grid_range = {-1.0 / 3.0, 2.0 / 3.0};
  spec.output.file = "true";
  expect_round_trip(spec);
}

TEST(ConfigRoundTrip, ResolvedConfigListsEveryKey) {
  const std::string text = to_yaml(parse_config("name: d\n", "d.yaml"));
  for (const char* key : {"name:", "seed:", "init_from:", "problem:", "pde:", "params:", "model:", "hidden:",
                          "fourier:", "sampling:", "loss:", "weights:", "training:", "schedule:", "betas:",
                          "evaluation:", "output:", "file: results/d.h5", "xdmf:"})
    EXPECT_NE(text.find(key), std::string::npos) << key << " missing from\n" << text;
  EXPECT_EQ(text.find("\n  inputs:"), std::string::npos) << "custom-only keys written for a catalog problem:\n" << text;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// docs/config.md embeds the table that config_reference_markdown() writes
// from the schema: a key added, removed or changed in the code fails here.
TEST(ConfigReference, DocsListEveryKeyAsTheCodeDescribesIt) {
  const std::string docs = read_text_file(std::string(PINNKIT_SOURCE_DIR) + "/docs/config.md");
  ASSERT_FALSE(docs.empty()) << "docs/config.md missing";
  std::istringstream rows(config_reference_markdown());
  std::string row;
  int count = 0;
  while (std::getline(rows, row)) {
    ++count;
    EXPECT_NE(docs.find(row + "\n"), std::string::npos) << "docs/config.md lacks (or differs in) the row\n" << row;
  }
  EXPECT_GT(count, 40);
}

TEST(ConfigReference, PathsAreUniqueAndCoverEverySection) {
  std::set<std::string> paths;
  for (const auto& key : config_reference()) {
    EXPECT_TRUE(paths.insert(key.path).second) << "duplicate " << key.path;
    EXPECT_FALSE(key.meaning.empty()) << key.path;
    EXPECT_FALSE(key.type.empty()) << key.path;
  }
  for (const char* p : {"name", "problem.params", "problem.conditions[].alpha", "model.fourier.scale",
                        "loss.weights.pde", "training[].schedule.min_lr", "evaluation.grid", "output.file"})
    EXPECT_TRUE(paths.count(p)) << p;
}

}  // namespace
}  // namespace pinnkit::io
