// Config errors: files, YAML syntax, unknown keys, types, ranges and names.
// Each test checks the error class (InputError, exit 2) and that the message
// names the key path and what was expected.
#include <gtest/gtest.h>

#include "io/did_you_mean.hpp"
#include "models/registries.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/schedule.hpp"
#include "solvers/unit_sampler.hpp"
#include "pde/problem_spec.hpp"
#include "solvers/training_spec.hpp"

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::config_error;
using testing::data_path;
using testing::expect_mentions;
using testing::input_error_of;

TEST(ConfigFile, MissingFileIsAnInputError) {
  const std::string path = data_path("no_such_config.yaml");
  const std::string msg = input_error_of([&] { load_config(path); });
  expect_mentions(msg, {path + ": expected a readable config file", "No such file"});
}

TEST(ConfigFile, EmptyFileIsAnInputError) {
  const std::string path = data_path("empty.yaml");
  EXPECT_EQ(input_error_of([&] { load_config(path); }),
            path + ": expected a map of config keys, got an empty file");
}

TEST(ConfigFile, BadSyntaxNamesTheLineAndColumn) {
  const std::string path = data_path("bad_syntax.yaml");
  const std::string msg = input_error_of([&] { load_config(path); });
  // The unclosed flow list opened on line 3 is detected on the following line.
  expect_mentions(msg, {path + ":4: expected valid YAML, got a syntax error at column", "end of sequence flow"});
}

TEST(ConfigFile, ErrorsFromAFileNameTheFileAndLine) {
  const std::string path = data_path("negative_width.yaml");
  EXPECT_EQ(input_error_of([&] { load_config(path); }),
            path + ":4: model.hidden[2]: expected a positive integer, got -4");
}

TEST(ConfigFile, TopLevelMustBeAMap) {
  expect_mentions(config_error("- a\n- b\n"), {"t.yaml:1: expected a map of config keys at the top level, got a list"});
  expect_mentions(config_error("just text\n"), {"t.yaml:1: expected a map", "got 'just text'"});
}

TEST(ConfigFile, SeveralDocumentsAreRejected) {
  expect_mentions(config_error("name: a\n---\nname: b\n"), {"t.yaml: expected one YAML document, got 2"});
}

TEST(ConfigKeys, UnknownKeySuggestsTheNearest) {
  EXPECT_EQ(config_error("name: x\nmodel:\n  hiden: [3]\n"),
            "t.yaml:3: model.hiden: unknown key 'hiden' in model, did you mean 'hidden'?");
  expect_mentions(config_error("trainng: {steps: 3}\n"),
                  {"t.yaml:1: trainng: unknown key 'trainng' at the top level, did you mean 'training'?"});
  expect_mentions(config_error("training:\n  - {optimizer: adam, lrr: 1.0}\n"),
                  {"t.yaml:2: training[0].lrr: unknown key 'lrr' in training[0], did you mean 'lr'?"});
  expect_mentions(config_error("model:\n  fourier: {cuont: 3}\n"),
                  {"model.fourier.cuont: unknown key 'cuont' in model.fourier, did you mean 'count'?"});
  expect_mentions(config_error("loss:\n  weights: {boundry: 2}\n"),
                  {"loss.weights.boundry: unknown key", "did you mean 'boundary'?"});
}

TEST(ConfigKeys, UnknownKeyFarFromAllListsTheKeys) {
  const std::string msg = config_error("sampling: {zzzzzzzz: 1}\n");
  expect_mentions(msg, {"sampling.zzzzzzzz: unknown key 'zzzzzzzz' in sampling, expected one of interior, boundary"});
  EXPECT_EQ(msg.find("did you mean"), std::string::npos) << msg;
}

TEST(ConfigKeys, DuplicateKeysAreRejected) {
  expect_mentions(config_error("seed: 1\nseed: 2\n"), {"t.yaml:2: seed: expected each key once at the top level, got 'seed' twice"});
}

struct BadValue {
  std::string yaml;
  std::string expected;  ///< "path: expected ..., got ..."
};

void expect_all(const std::vector<BadValue>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    expect_mentions(config_error(c.yaml), {c.expected});
  }
}

TEST(ConfigTypes, WrongTypesAreRejected) {
  expect_all({
      {"seed: abc\n", "seed: expected an integer >= 0, got 'abc'"},
      {"seed: -1\n", "seed: expected an integer >= 0, got -1"},
      {"sampling: {interior: 3.5}\n", "sampling.interior: expected a positive integer, got 3.5"},
      {"sampling: {interior: abc}\n", "sampling.interior: expected a positive integer, got 'abc'"},
      {"sampling: {interior: \"100\"}\n", "sampling.interior: expected a positive integer, got the string \"100\""},
      {"model: {hidden: 64}\n", "model.hidden: expected a non-empty list of positive integers, got 64"},
      {"model: [1, 2]\n", "model: expected a map, got a list"},
      {"model: {type: kan, base: yes}\n", "model.base: expected true or false, got 'yes'"},
      {"model: {type: kan, grid_range: 1}\n", "model.grid_range: expected an interval [a, b] of finite numbers with a < b, got 1"},
      {"training: [{lr: fast}]\n", "training[0].lr: expected a positive number, got 'fast'"},
      {"training: 3\n", "training: expected a non-empty list of maps (or one map), got 3"},
      {"training: [3]\n", "training[0]: expected a map, got 3"},
      {"name: [a]\n", "name: expected a non-empty string, got a list"},
      {"name: \"\"\n", "name: expected a non-empty string, got an empty string"},
      {"problem: {params: {a: [1]}}\n", "problem.params.a: expected a finite number, got a list"},
      {"training: {steps: 100, schedule: 3}\n", "training.schedule: expected a map, got 3"},
  });
}

TEST(ConfigRanges, SizesMustBePositive) {
  expect_all({
      {"model: {hidden: [64, 0]}\n", "model.hidden[1]: expected a positive integer, got 0"},
      {"model: {hidden: []}\n", "model.hidden: expected a non-empty list of positive integers, got an empty list"},
      {"model: {type: kan, kan_hidden: [-2]}\n", "model.kan_hidden[0]: expected a positive integer, got -2"},
      {"sampling: {interior: 0}\n", "sampling.interior: expected a positive integer, got 0"},
      {"sampling: {boundary: -1}\n", "sampling.boundary: expected an integer >= 0, got -1"},
      {"sampling: {initial: -5}\n", "sampling.initial: expected an integer >= 0, got -5"},
      {"training: {steps: 0}\n", "training.steps: expected a positive integer, got 0"},
      {"training: []\n", "training: expected a non-empty list of maps (or one map), got an empty list"},
      {"model: {fourier: {count: -1}}\n", "model.fourier.count: expected an integer >= 0, got -1"},
  });
}

TEST(ConfigRanges, ValuesOutOfRangeAreRejected) {
  expect_all({
      {"training: {lr: 0}\n", "training.lr: expected a positive number, got 0"},
      {"training: [{lr: -1.0e-3}]\n", "training[0].lr: expected a positive number, got -1.0e-3"},
      {"training: {betas: [0.9, 1.0]}\n", "training.betas[1]: expected a number in [0, 1), got 1.0"},
      {"training: {betas: [-0.1, 0.9]}\n", "training.betas[0]: expected a number in [0, 1), got -0.1"},
      {"training: {betas: [0.9]}\n", "training.betas: expected a pair [p, q] of numbers in [0, 1), got a list"},
      {"training: {schedule: {type: step, decay: 0}}\n", "training.schedule.decay: expected a number in (0, 1], got 0"},
      {"training: {schedule: {type: step, decay: 1.5}}\n", "training.schedule.decay: expected a number in (0, 1], got 1.5"},
      {"training: {optimizer: lbfgs, tolerance: 0}\n", "training.tolerance: expected a positive number, got 0"},
      {"training: {optimizer: lbfgs, history: 0}\n", "training.history: expected a positive integer, got 0"},
      {"model: {type: kan, degree: 6}\n", "model.degree: expected an integer in 1..5, got 6"},
      {"model: {type: kan, degree: 0}\n", "model.degree: expected an integer in 1..5, got 0"},
      {"model: {type: kan, grid: 0}\n", "model.grid: expected a positive integer, got 0"},
      {"model: {type: kan, grid_range: [1, -1]}\n", "model.grid_range: expected an interval [a, b] of finite numbers with a < b, got [1, -1]"},
      {"model: {fourier: {scale: 0}}\n", "model.fourier.scale: expected a positive number, got 0"},
      {"evaluation: {grid: [101, 1]}\n", "evaluation.grid[1]: expected an integer >= 2, got 1"},
      {"loss: {weights: {pde: -1}}\n", "loss.weights.pde: expected a number >= 0, got -1"},
      {"sampling: {interior: 99999999999}\n", "sampling.interior: expected a positive integer, got 99999999999"},
  });
}

TEST(ConfigRanges, NonFiniteNumbersAreRejected) {
  expect_all({
      {"training: {lr: .inf}\n", "training.lr: expected a positive number (finite), got .inf"},
      {"problem: {params: {a: .nan}}\n", "problem.params.a: expected a finite number (finite), got .nan"},
      {"problem: {params: {a: -.Inf}}\n", "problem.params.a: expected a finite number (finite), got -.Inf"},
      {"model: {fourier: {scale: 1e999}}\n", "model.fourier.scale: expected a positive number (finite), got 1e999"},
      {"loss: {weights: {data: nan}}\n", "loss.weights.data: expected a number >= 0 (finite), got nan"},
  });
}

// The accepted names come from the registries of the spec headers.
void expect_bad_name(const std::string& yaml, const std::string& path, const std::string& given,
                     const std::vector<std::string>& accepted, const std::string& nearest) {
  SCOPED_TRACE(yaml);
  const std::string msg = config_error(yaml);
  expect_mentions(msg, {path + ": expected one of " + join_names(accepted) + ", got '" + given + "'"});
  if (!nearest.empty()) expect_mentions(msg, {"did you mean '" + nearest + "'?"});
}

TEST(ConfigNames, UnknownNamesListTheAcceptedOnesAndSuggest) {
  expect_bad_name("model: {type: mlpp}\n", "model.type", "mlpp", models::model_registry().names(), "mlp");
  expect_bad_name("model: {activation: tanhh}\n", "model.activation", "tanhh", models::activation_registry().names(), "tanh");
  expect_bad_name("model: {init: xavir}\n", "model.init", "xavir", models::initializer_registry().names(), "xavier");
  expect_bad_name("sampling: {method: sobel}\n", "sampling.method", "sobel", solvers::sampler_registry().names(), "sobol");
  expect_bad_name("training: [{optimizer: adamm}]\n", "training[0].optimizer", "adamm", solvers::optimizer_registry().names(), "adam");
  expect_bad_name("training: {schedule: {type: cosin}}\n", "training.schedule.type", "cosin", solvers::schedule_registry().names(), "cosine");
  expect_bad_name("evaluation: {points: grd}\n", "evaluation.points", "grd", {"reference", "grid", "sample"}, "grid");
  expect_bad_name("model: {activation: qqqqqqq}\n", "model.activation", "qqqqqqq", models::activation_registry().names(), "");
  EXPECT_EQ(config_error("model: {activation: qqqqqqq}\n").find("did you mean"), std::string::npos);
}

// Keys that belong to one model type, optimizer, schedule or adapter type
// are errors on another, naming the key path and the owner.
TEST(ConfigCrossKeys, KeysOfAnotherTypeAreRejectedNamingTheirOwner) {
  expect_mentions(config_error("model: {type: kan, hidden: [8]}\n"),
                  {"t.yaml:1: model.hidden: belongs to model.type mlp, expected no such key with model.type: kan"});
  expect_mentions(config_error("model: {type: mlp, grid: 5}\n"),
                  {"t.yaml:1: model.grid: belongs to model.type kan or slim_kan, expected no such key with model.type: mlp"});
  expect_mentions(config_error("training: [{optimizer: adam, history: 50}]\n"),
                  {"t.yaml:1: training[0].history: belongs to optimizer lbfgs, expected no such key with optimizer: adam"});
  expect_mentions(config_error("training: [{optimizer: lbfgs, betas: [0.9, 0.99]}]\n"),
                  {"training[0].betas: belongs to optimizer adam or adamw, expected no such key with optimizer: lbfgs"});
  expect_mentions(config_error("training: [{optimizer: lbfgs, schedule: {type: cosine}}]\n"),
                  {"training[0].schedule: belongs to optimizer adam or adamw or sgd or scaled_gd"});
  expect_mentions(config_error("training: [{optimizer: sgd, group_lr: {lora_B: 16}}]\n"),
                  {"training[0].group_lr: belongs to optimizer adam or adamw"});
  expect_mentions(config_error("training: [{optimizer: adam, momentum: 0.5}]\n"),
                  {"training[0].momentum: belongs to optimizer sgd"});
  expect_mentions(config_error("training: [{optimizer: adam, damping: 0.5}]\n"),
                  {"training[0].damping: belongs to optimizer scaled_gd"});
  expect_mentions(config_error("training: {schedule: {type: cosine, decay: 0.5}}\n"),
                  {"training.schedule.decay: belongs to schedule type exponential or step"});
  expect_mentions(config_error("training: {schedule: {type: step, min_lr: 0.1}}\n"),
                  {"training.schedule.min_lr: belongs to schedule type cosine"});
  expect_mentions(config_error("adapter: {rank: 8}\n"),
                  {"t.yaml:1: adapter.rank: belongs to adapter.type lora or lora_kan or svd_lora, expected no such key with adapter.type: none"});
  // --set overrides are checked the same way.
  expect_mentions(config_error("name: t\n", {"training[0].history=5"}), {"training[0].history", "belongs to optimizer lbfgs"});
  // Owned keys under their owner are fine.
  EXPECT_NO_THROW(parse_config("model: {type: kan, grid: 5}\ntraining: [{optimizer: lbfgs, history: 5}]\n", "t.yaml"));
}

TEST(DidYouMean, SuggestsOnlyCloseNames) {
  EXPECT_EQ(edit_distance("hiden", "hidden"), 1u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);  // a swap counts once
  EXPECT_EQ(nearest_name("lrr", {"lr", "eps", "steps"}), "lr");
  EXPECT_EQ(nearest_name("Hidden", {"hidden"}), "hidden");
  EXPECT_EQ(nearest_name("xyz", {"lr", "eps"}), "");
  EXPECT_EQ(did_you_mean("tanhh", {"tanh", "sin"}), ", did you mean 'tanh'?");
}

}  // namespace
}  // namespace pinnkit::io
