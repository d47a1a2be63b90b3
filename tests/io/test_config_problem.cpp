// The `problem:` section: catalog problems and their parameters, and custom
// problems with their own inputs, domain, equations and conditions.
#include <gtest/gtest.h>

#include "pde/catalog.hpp"

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::config_error;
using testing::data_path;
using testing::expect_mentions;

const pde::ProblemInfo& first_catalog_problem_with_params() {
  for (const auto& p : pde::catalog())
    if (p.name != "custom" && !p.default_params.empty()) return p;
  throw std::runtime_error("the catalog has no problem with parameters");
}

TEST(ConfigProblem, CatalogParamsAreFilledFromTheDefaults) {
  const auto& info = first_catalog_problem_with_params();
  const RunSpec spec = parse_config("problem: {pde: " + info.name + "}\n", "t.yaml");
  EXPECT_EQ(spec.problem.params, info.default_params);
}

TEST(ConfigProblem, GivenCatalogParamsOverrideTheDefaults) {
  const auto& info = first_catalog_problem_with_params();
  const std::string param = info.default_params.begin()->first;
  const RunSpec spec = parse_config("problem: {pde: " + info.name + ", params: {" + param + ": 7.25}}\n", "t.yaml");
  EXPECT_EQ(spec.problem.params.at(param), 7.25);
  EXPECT_EQ(spec.problem.params.size(), info.default_params.size());
}

TEST(ConfigProblem, UnknownCatalogParamIsRejectedWithSuggestion) {
  const auto& info = first_catalog_problem_with_params();
  const std::string param = info.default_params.begin()->first;
  const std::string typo = param + "x";
  expect_mentions(config_error("problem: {pde: " + info.name + ", params: {" + typo + ": 1}}\n"),
                  {"problem.params." + typo + ": unknown key '" + typo + "' in problem.params",
                   "did you mean '" + param + "'?"});
}

TEST(ConfigProblem, UnknownProblemNameSuggestsTheNearest) {
  const auto& info = first_catalog_problem_with_params();
  expect_mentions(config_error("problem: {pde: " + info.name + "q}\n"),
                  {"problem.pde: expected one of", "custom", "got '" + info.name + "q'",
                   "did you mean '" + info.name + "'?"});
}

TEST(ConfigProblem, CustomOnlyKeysAreRejectedForCatalogProblems) {
  const auto& info = first_catalog_problem_with_params();
  const std::vector<std::pair<std::string, std::string>> custom_keys{
      {"inputs", "[x, y]"},    {"domain", "{x: [0, 1]}"}, {"outputs", "[u]"},
      {"equations", "[u_xx]"}, {"conditions", "[]"},      {"exact", "\"0\""}};
  for (const auto& [key, value] : custom_keys) {
    SCOPED_TRACE(key);
    expect_mentions(config_error("problem:\n  pde: " + info.name + "\n  " + key + ": " + value + "\n"),
                    {"t.yaml:3: problem." + key + ": belongs to custom problems (pde: custom)",
                     "catalog problem '" + info.name + "'"});
  }
}

TEST(ConfigProblem, CustomProblemIsReadCompletely) {
  const RunSpec spec = load_config(data_path("custom_burgers.yaml"));
  EXPECT_EQ(spec.problem.pde, "custom");
  EXPECT_EQ(spec.problem.inputs, (std::vector<std::string>{"x", "t"}));
  EXPECT_EQ(spec.problem.domain.at("x"), (std::array<double, 2>{-1, 1}));
  EXPECT_EQ(spec.problem.domain.at("t"), (std::array<double, 2>{0, 1}));
  EXPECT_EQ(spec.problem.params.at("nu"), 0.0031830988618);
  EXPECT_EQ(spec.problem.equations, (std::vector<std::string>{"u_t + u*u_x - nu*u_xx"}));
  ASSERT_EQ(spec.problem.conditions.size(), 3u);
  EXPECT_EQ(spec.problem.conditions[0].type, "initial");
  EXPECT_EQ(spec.problem.conditions[0].value, "-sin(pi*x)");
  EXPECT_EQ(spec.problem.conditions[1].on, (std::vector<std::string>{"x_min", "x_max"}));
  EXPECT_EQ(spec.problem.conditions[1].value, "0");  // a number where an expression is expected is its text
  EXPECT_EQ(spec.problem.conditions[2].robin_alpha, 2.0);
  EXPECT_EQ(spec.problem.conditions[2].robin_beta, 0.5);
  EXPECT_EQ(spec.problem.exact, "");  // exact: null = none
  EXPECT_EQ(spec.source_file, data_path("custom_burgers.yaml"));
}

const std::string custom_head =
    "problem:\n  pde: custom\n  inputs: [x, t]\n  domain: {x: [-1, 1], t: [0, 1]}\n  equations: [u_t - u_xx]\n";

TEST(ConfigProblem, CustomProblemNeedsInputsDomainAndEquations) {
  expect_mentions(config_error("problem:\n  pde: custom\n"),
                  {"t.yaml:2: problem.inputs: expected a non-empty list of input names (custom problems need it), got nothing"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n"),
                  {"problem.equations: expected a non-empty list of expressions (custom problems need it), got nothing"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x]\n  equations: [u_xx]\n"),
                  {"problem.domain: expected a map of input: [a, b] (custom problems need it), got nothing"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n  equations: []\n"),
                  {"problem.equations: expected a non-empty list of expressions, got an empty list"});
}

TEST(ConfigProblem, CustomDomainHasOneIntervalPerInput) {
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x, t]\n  domain: {x: [-1, 1]}\n  equations: [u_t]\n"),
                  {"t.yaml:4: problem.domain: expected an interval for input 't', got none"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [-1, 1], y: [0, 1]}\n  equations: [u_xx]\n"),
                  {"problem.domain.y: unknown key 'y' in problem.domain"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [1, -1]}\n  equations: [u_xx]\n"),
                  {"problem.domain.x: expected an interval [a, b] of finite numbers with a < b, got [1, -1]"});
  expect_mentions(config_error("problem:\n  pde: custom\n  inputs: [x, x]\n  domain: {x: [0, 1]}\n  equations: [u_xx]\n"),
                  {"problem.inputs[1]: expected a non-empty list of names (letters, digits, _), no repeats"});
}

TEST(ConfigProblem, CustomParamsTakeAnyName) {
  const RunSpec spec = parse_config(custom_head + "  params: {kappa: 0.5, c_2: 3}\n", "t.yaml");
  EXPECT_EQ(spec.problem.params, (std::map<std::string, double>{{"kappa", 0.5}, {"c_2", 3.0}}));
  expect_mentions(config_error(custom_head + "  params: {2k: 1}\n"),
                  {"problem.params.2k: expected a parameter name (letters, digits, _), got '2k'"});
}

TEST(ConfigProblem, ConditionsAreChecked) {
  const std::string c = custom_head + "  conditions:\n";
  expect_mentions(config_error(c + "    - {type: dirichlet, on: [x_mn]}\n"),
                  {"t.yaml:7: problem.conditions[0].on[0]: expected one of x_min, x_max, t_min, t_max, got 'x_mn'",
                   "did you mean 'x_min'?"});
  expect_mentions(config_error(c + "    - {type: dirichlet, on: [x_min]}\n    - {type: neumman}\n"),
                  {"problem.conditions[1].type: expected one of", "got 'neumman'", "did you mean 'neumann'?"});
  expect_mentions(config_error(c + "    - {on: [x_min]}\n"),
                  {"problem.conditions[0].type: expected one of", "got nothing"});
  expect_mentions(config_error(c + "    - {type: dirichlet, alpha: 2}\n"),
                  {"problem.conditions[0].alpha: belongs to robin conditions, expected no such key with type: dirichlet"});
  expect_mentions(config_error(c + "    - {type: dirichlet, output: v}\n"),
                  {"problem.conditions[0].output: expected one of the outputs u, got 'v'"});
  expect_mentions(config_error(c + "    - {type: dirichlet, vlaue: 1}\n"),
                  {"problem.conditions[0].vlaue: unknown key 'vlaue'", "did you mean 'value'?"});
}

TEST(ConfigProblem, CustomEvaluationGridHasOneSizePerInput) {
  expect_mentions(config_error(custom_head + "evaluation: {points: grid, grid: [11, 11, 11]}\n"),
                  {"evaluation.grid: expected one entry per input (2), got 3 entries"});
}

}  // namespace
}  // namespace pinnkit::io
