// Glob patterns and freeze_blocks: what a pattern selects, and the error
// for one that selects nothing.
#include <gtest/gtest.h>

#include "adapters/freeze.hpp"
#include "adapters/glob.hpp"
#include "core/error.hpp"

#include "support/lora_fixtures.hpp"

namespace pinnkit::adapters {
namespace {

TEST(Glob, MatchesWholeNames) {
  EXPECT_TRUE(glob_match("dense*", "dense12.weight"));
  EXPECT_TRUE(glob_match("dense?.bias", "dense3.bias"));
  EXPECT_FALSE(glob_match("dense?.bias", "dense13.bias"));
  EXPECT_TRUE(glob_match("*.lora_*", "dense0.lora_A"));
  EXPECT_FALSE(glob_match("dense0", "dense0.weight"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
}

TEST(Freeze, LayerNamesAndPatternsSelectBlocks) {
  models::ParamStore store;
  models::ModelSpec spec;
  spec.hidden = {4, 4};
  auto model = models::make_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store, 1);
  const auto frozen = freeze_blocks(store, {"dense0", "*.bias"}, "c.yaml");
  EXPECT_EQ(frozen, (std::vector<std::string>{"dense0.weight", "dense0.bias", "dense1.bias", "dense2.bias"}));
  EXPECT_FALSE(store.block("dense0.weight").trainable);
  EXPECT_TRUE(store.block("dense1.weight").trainable);
  EXPECT_EQ(store.trainable_size(), std::size_t(4 * 4 + 4 * 1));
}

TEST(Freeze, PatternMatchingNothingNamesFileKeyAndPattern) {
  models::ParamStore store;
  models::ModelSpec spec;
  spec.hidden = {3};
  auto model = models::make_model(spec, 2, 1, {0.0, 0.0}, {1.0, 1.0}, store, 1);
  try {
    freeze_blocks(store, {"dense0", "kan*"}, "c.yaml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("c.yaml: freeze[1]: expected a parameter block"), std::string::npos) << m;
    EXPECT_NE(m.find("got 'kan*'"), std::string::npos) << m;
  }
}

TEST(AttachAdapters, UnknownLayerPatternIsAnInputError) {
  try {
    testing_support::LoraNet net({4}, 2, "standard", {"dense1", "dense7"});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("adapter.layers[1]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("dense0, dense1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pinnkit::adapters
