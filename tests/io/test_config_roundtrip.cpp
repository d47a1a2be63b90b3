// Defaults, the resolved config (to_yaml) and its round trip, and the
// reference in docs/config.md.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

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
  ASSERT_EQ(spec.training.size(), 3u);
  EXPECT_EQ(spec.training[0].optimizer, "adamw");
  EXPECT_EQ(spec.training[0].schedule.type, "exponential");
  EXPECT_EQ(spec.training[0].betas, (std::array<double, 2>{0.8, 0.99}));
  EXPECT_EQ(spec.training[1].optimizer, "sgd");
  EXPECT_EQ(spec.training[1].momentum, 0.5);
  EXPECT_EQ(spec.training[2].optimizer, "lbfgs");
  EXPECT_EQ(spec.training[2].history, 20);
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
  EXPECT_EQ(spec.model.type, "mlp");
  expect_round_trip(spec);
}

TEST(ConfigRoundTrip, FullKanConfig) {
  const RunSpec spec = load_config(data_path("full_kan.yaml"));
  EXPECT_EQ(spec.model.type, "kan");
  EXPECT_EQ(spec.model.grid_range, (std::array<double, 2>{-2, 2.5}));
  expect_round_trip(spec);
}

// Keys that belong to another model type, optimizer or schedule are left out
// of the resolved config (and so of /config in result files).
TEST(ConfigRoundTrip, ResolvedConfigLeavesOutKeysOfOtherTypes) {
  const std::string mlp = to_yaml(parse_config("name: d\n", "d.yaml"));
  const std::string mlp_model = mlp.substr(mlp.find("\nmodel:"), mlp.find("\nadapter:") - mlp.find("\nmodel:"));
  const std::string mlp_rest = mlp.substr(mlp.find("\nadapter:"), mlp.find("\nevaluation:") - mlp.find("\nadapter:"));
  for (const char* key : {"kan_hidden:", "grid:", "degree:", "grid_range:", "base:"})
    EXPECT_EQ(mlp_model.find(key), std::string::npos) << key << " written for an mlp:\n" << mlp;
  for (const char* key : {"history:", "tolerance:", "momentum:", "weight_decay:", "damping:", "decay:", "min_lr:",
                          "rank:", "alpha:"})
    EXPECT_EQ(mlp_rest.find(key), std::string::npos) << key << " written for adam / constant / no adapter:\n" << mlp;
  const std::string kan = to_yaml(parse_config("name: d\nmodel: {type: kan}\ntraining: {optimizer: lbfgs}\n", "d.yaml"));
  for (const char* key : {"hidden: [", "activation:", "init:", "schedule:", "betas:"})
    EXPECT_EQ(kan.find(std::string("\n    ") + key), std::string::npos) << key << " written for a kan / lbfgs:\n" << kan;
  for (const char* key : {"kan_hidden:", "degree:", "history:", "tolerance:"})
    EXPECT_NE(kan.find(key), std::string::npos) << key << " missing for a kan / lbfgs:\n" << kan;
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
  spec.training[0].schedule.type = "cosine";
  spec.training[0].schedule.min_lr = 5e-324;  // smallest subnormal
  spec.model.type = "kan";
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

// The key column of the table in docs/config.md: the first cell of every row
// after the table's header row (the first line config_reference_markdown()
// writes) and its |---| separator, up to the first line that is not a row.
std::vector<std::string> documented_keys(const std::string& docs) {
  const std::string header = config_reference_markdown().substr(0, config_reference_markdown().find('\n'));
  std::istringstream lines(docs);
  std::string line;
  while (std::getline(lines, line) && line != header) {
  }
  std::vector<std::string> keys;
  if (!std::getline(lines, line)) return keys;  // the |---| row
  while (std::getline(lines, line) && !line.empty() && line[0] == '|') {
    const std::size_t end = line.find('|', 1);
    std::string cell = line.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    cell.erase(0, cell.find_first_not_of(" `"));
    cell.erase(cell.find_last_not_of(" `") + 1);
    keys.push_back(cell);
  }
  return keys;
}

// The other direction: every key docs/config.md documents is a key of the
// schema, so a key removed or renamed in the code cannot stay documented.
TEST(ConfigReference, DocsListNoKeyTheCodeLacks) {
  const std::string docs = read_text_file(std::string(PINNKIT_SOURCE_DIR) + "/docs/config.md");
  ASSERT_FALSE(docs.empty()) << "docs/config.md missing";
  std::set<std::string> schema;
  for (const auto& key : config_reference()) schema.insert(key.path);
  const std::vector<std::string> documented = documented_keys(docs);
  ASSERT_GT(documented.size(), 40u) << "no key table (header row as config_reference_markdown() writes it) "
                                       "found in docs/config.md";
  std::string stale;
  for (const auto& key : documented)
    if (!schema.count(key)) stale += "\n  " + key;
  EXPECT_TRUE(stale.empty()) << "docs/config.md documents keys the schema does not have:" << stale;
  EXPECT_EQ(std::set<std::string>(documented.begin(), documented.end()).size(), documented.size())
      << "docs/config.md documents a key twice";
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
