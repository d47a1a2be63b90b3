// --set key.path=value overrides: applied before validation, and errors in
// what they wrote blame the override, not the file.
#include <gtest/gtest.h>

#include "pde/catalog.hpp"

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::config_error;
using testing::data_path;
using testing::expect_mentions;

TEST(ConfigOverrides, ValuesAreParsedAsYaml) {
  const RunSpec spec = parse_config("name: t\ntraining:\n  - {steps: 5}\n  - {optimizer: lbfgs, steps: 6}\n", "t.yaml",
                                    {"seed=3", "model.hidden=[32, 16]", "training[0].lr=1e-4", "training.1.steps=10",
                                     "model.fourier={count: 4, scale: 2}", "output.xdmf=false"});
  EXPECT_EQ(spec.seed, 3u);
  EXPECT_EQ(spec.model.hidden, (std::vector<int>{32, 16}));
  EXPECT_EQ(spec.training.at(0).lr, 1e-4);
  EXPECT_EQ(spec.training.at(0).steps, 5);
  EXPECT_EQ(spec.training.at(1).steps, 10);
  EXPECT_EQ(spec.training.at(1).optimizer, "lbfgs");
  EXPECT_EQ(spec.model.fourier.count, 4);
  EXPECT_EQ(spec.model.fourier.scale, 2.0);
  EXPECT_FALSE(spec.output.xdmf);
}

TEST(ConfigOverrides, LaterOverridesWinAndSectionsAreCreated) {
  const RunSpec spec = parse_config("name: t\n", "t.yaml", {"sampling.interior=10", "sampling.interior=20"});
  EXPECT_EQ(spec.sampling.interior, 20);
  const RunSpec staged = parse_config("name: t\n", "t.yaml", {"training[0].steps=7"});
  ASSERT_EQ(staged.training.size(), 1u);
  EXPECT_EQ(staged.training[0].steps, 7);
  EXPECT_EQ(config_error("name: t\n", {"training[2].steps=7"}),
            "--set training[2].steps=7: training: expected an index up to 0 (the list has 0 entries), got 2");
}

TEST(ConfigOverrides, HistoryEveryIsAPositiveStepCount) {
  EXPECT_EQ(parse_config("name: t\n", "t.yaml", {}).output.history_every, 10);
  EXPECT_EQ(parse_config("name: t\n", "t.yaml", {"output.history_every=1"}).output.history_every, 1);
  expect_mentions(config_error("name: t\n", {"output.history_every=0"}), {"output.history_every", "0"});
}

TEST(ConfigOverrides, OverrideChangesTheDerivedOutputFile) {
  const RunSpec spec = parse_config("name: t\n", "t.yaml", {"name=other"});
  EXPECT_EQ(spec.output.file, "results/other.h5");
}

TEST(ConfigOverrides, SingleMapTrainingCanBeIndexedAndExtended) {
  const RunSpec spec = parse_config("training: {optimizer: adam, steps: 50}\n", "t.yaml",
                                    {"training[0].lr=0.01", "training[1].optimizer=lbfgs"});
  ASSERT_EQ(spec.training.size(), 2u);
  EXPECT_EQ(spec.training[0].optimizer, "adam");
  EXPECT_EQ(spec.training[0].steps, 50);
  EXPECT_EQ(spec.training[0].lr, 0.01);
  EXPECT_EQ(spec.training[1].optimizer, "lbfgs");
  EXPECT_EQ(spec.training[1].steps, solvers::StageSpec{}.steps);
  const RunSpec plain = parse_config("training: {steps: 50}\n", "t.yaml", {"training.lr=0.5"});
  EXPECT_EQ(plain.training.at(0).lr, 0.5);
}

TEST(ConfigOverrides, CatalogParamsCanBeOverridden) {
  const auto& problem = pde::catalog().front();
  if (problem.default_params.empty()) GTEST_SKIP() << "first catalog problem has no parameters";
  const std::string param = problem.default_params.begin()->first;
  const RunSpec spec = parse_config("problem: {pde: " + problem.name + "}\n", "t.yaml", {"problem.params." + param + "=4.5"});
  EXPECT_EQ(spec.problem.params.at(param), 4.5);
}

TEST(ConfigOverrides, UnknownKeyNamesTheOverrideAndSuggests) {
  EXPECT_EQ(config_error("name: t\n", {"model.hiden=[3]"}),
            "--set model.hiden=[3]: unknown key 'hiden' in model, did you mean 'hidden'?");
  EXPECT_EQ(config_error("name: t\n", {"model.fourer.count=3"}),
            "--set model.fourer.count=3: model.fourer: unknown key 'fourer' in model, did you mean 'fourier'?");
  EXPECT_EQ(config_error("name: t\n", {"sed=3"}), "--set sed=3: unknown key 'sed' at the top level, did you mean 'seed'?");
}

TEST(ConfigOverrides, BadValuesNameTheOverrideAndThePath) {
  EXPECT_EQ(config_error("name: t\n", {"model.hidden=[3,-1]"}),
            "--set model.hidden=[3,-1]: model.hidden[1]: expected a positive integer, got -1");
  EXPECT_EQ(config_error("name: t\n", {"seed=3.5"}), "--set seed=3.5: expected an integer >= 0, got 3.5");
  EXPECT_EQ(config_error("name: t\n", {"seed="}), "--set seed=: expected an integer >= 0, got null");
  expect_mentions(config_error("name: t\n", {"training[0].optimizer=adamm"}),
                  {"--set training[0].optimizer=adamm: expected one of", "did you mean 'adam'?"});
}

TEST(ConfigOverrides, FileErrorsStillNameTheFile) {
  EXPECT_EQ(config_error("name: t\nmodel:\n  type: kan\n  grid: 0\n", {"model.kan_hidden=[8]"}),
            "t.yaml:4: model.grid: expected a positive integer, got 0");
}

TEST(ConfigOverrides, MalformedOverridesAreRejected) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"seed", "--set seed: expected key.path=value, got 'seed'"},
      {"=3", "--set =3: expected key.path=value, got '=3'"},
      {"model..hidden=1", "--set model..hidden=1: expected key.path=value with keys separated by '.'"},
      {"model.=1", "--set model.=1: expected key.path=value with keys separated by '.'"},
      {"training[x].lr=1", "--set training[x].lr=1: expected key.path=value"},
      {"model.hidden=[1,", "--set model.hidden=[1,: expected a YAML value after '=', got invalid YAML"},
      {"training[5].lr=1", "--set training[5].lr=1: training: expected an index up to 1"},
      {"training.lr=1", "--set training.lr=1: training: expected an index [i] into the list, got key 'lr'"},
      {"seed.x=1", "--set seed.x=1: seed: expected a map, got 7"},
      {"[0]=1", "--set [0]=1: expected key.path=value"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    expect_mentions(config_error("seed: 7\ntraining: [{steps: 3}]\n", {text}), {expected});
  }
}

TEST(ConfigOverrides, LoadConfigAppliesOverrides) {
  const RunSpec spec = load_config(data_path("custom_burgers.yaml"), {"problem.params.nu=0.02", "problem.domain.t=[0, 2]"});
  EXPECT_EQ(spec.problem.params.at("nu"), 0.02);
  EXPECT_EQ(spec.problem.domain.at("t"), (std::array<double, 2>{0, 2}));
  expect_mentions(testing::input_error_of([] { load_config(data_path("custom_burgers.yaml"), {"problem.domain.z=[0, 1]"}); }),
                  {"--set problem.domain.z=[0, 1]: unknown key 'z' in problem.domain"});
}

}  // namespace
}  // namespace pinnkit::io
