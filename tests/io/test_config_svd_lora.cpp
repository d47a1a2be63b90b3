// The svd_lora adapter keys through the config schema: parsed with their
// values, owned by svd_lora, bad values named with their key path.
// Deliberate bug caught when tried: the budget table's target <= initial
// check left out (BadValuesAndForeignOwnersAreErrors fails).
#include <gtest/gtest.h>

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::config_error;
using testing::expect_mentions;

TEST(ConfigSvdLora, KeysAreParsed) {
  const RunSpec spec = parse_config(
      "name: t\nadapter:\n  type: svd_lora\n  rank: 6\n  selection: adalora\n  orthogonality: 0.2\n"
      "  hessian: gauss_newton\n  budget: {initial: 30, target: 10, warmup: 50, final_steps: 100, every: 5}\n",
      "t.yaml");
  EXPECT_EQ(spec.adapter.type, "svd_lora");
  EXPECT_EQ(spec.adapter.rank, 6);
  EXPECT_EQ(spec.adapter.selection, "adalora");
  EXPECT_EQ(spec.adapter.orthogonality, 0.2);
  EXPECT_EQ(spec.adapter.hessian, "gauss_newton");
  EXPECT_EQ(spec.adapter.budget.initial, 30);
  EXPECT_EQ(spec.adapter.budget.target, 10);
  EXPECT_EQ(spec.adapter.budget.warmup, 50);
  EXPECT_EQ(spec.adapter.budget.final_steps, 100);
  EXPECT_EQ(spec.adapter.budget.every, 5);
  const RunSpec defaults = parse_config("name: t\nadapter: {type: svd_lora}\n", "t.yaml");
  EXPECT_EQ(defaults.adapter.selection, "sublora");
  EXPECT_EQ(defaults.adapter.hessian, "fd");
  EXPECT_EQ(defaults.adapter.budget.target, 0);
}

TEST(ConfigSvdLora, BadValuesAndForeignOwnersAreErrors) {
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, selection: best}\n"),
                  {"adapter.selection", "sublora", "best"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, hessian: exact}\n"),
                  {"adapter.hessian", "fd, gauss_newton", "exact"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, orthogonality: -1}\n"),
                  {"adapter.orthogonality"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, budget: {initial: 4, target: 8}}\n"),
                  {"adapter.budget.target", "at most initial (4)", "8"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, budget: {every: 0}}\n"),
                  {"adapter.budget.every"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, budget: {targt: 3}}\n"),
                  {"adapter.budget.targt"});
  expect_mentions(config_error("name: t\nadapter: {type: lora, selection: sublora}\n"),
                  {"adapter.selection", "svd_lora"});
  expect_mentions(config_error("name: t\nadapter: {type: lora, budget: {target: 3}}\n"),
                  {"adapter.budget", "svd_lora"});
  expect_mentions(config_error("name: t\nadapter: {type: svd_lora, init: spectral}\n"), {"adapter.init", "lora"});
}

}  // namespace
}  // namespace pinnkit::io
