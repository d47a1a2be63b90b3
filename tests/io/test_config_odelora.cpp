// The odelora stage keys and the LoRA inits it needs, through the config
// schema: accepted with their values, owned by odelora (and damping shared
// with scaled_gd), bad values named with their key path.
#include <gtest/gtest.h>

#include "support/config_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::config_error;
using testing::expect_mentions;

TEST(ConfigOdeLora, StageKeysAndInitsAreParsed) {
  const RunSpec spec = parse_config(
      "name: t\nadapter: {type: lora, rank: 2, init: balanced_random}\n"
      "training:\n  - {optimizer: odelora, lr: 0.01, integrator: heun, rebalance: true, damping: 1.0e-8}\n",
      "t.yaml");
  ASSERT_EQ(spec.training.size(), 1u);
  EXPECT_EQ(spec.training[0].optimizer, "odelora");
  EXPECT_EQ(spec.training[0].integrator, "heun");
  EXPECT_TRUE(spec.training[0].rebalance);
  EXPECT_EQ(spec.training[0].damping, 1e-8);
  EXPECT_EQ(spec.adapter.init, "balanced_random");
  const RunSpec kan = parse_config("name: t\nadapter: {type: lora_kan, rank: 2, init: spectral}\n", "t.yaml");
  EXPECT_EQ(kan.adapter.type, "lora_kan");
}

TEST(ConfigOdeLora, BadValuesAndForeignOwnersAreErrors) {
  expect_mentions(config_error("name: t\ntraining:\n  - {optimizer: odelora, integrator: rk45}\n"),
                  {"training[0].integrator", "euler, heun, rk4", "rk45"});
  expect_mentions(config_error("name: t\ntraining:\n  - {optimizer: adam, integrator: rk4}\n"),
                  {"training[0].integrator", "odelora"});
  expect_mentions(config_error("name: t\ntraining:\n  - {optimizer: sgd, rebalance: true}\n"),
                  {"training[0].rebalance", "odelora"});
  expect_mentions(config_error("name: t\ntraining:\n  - {optimizer: odelora, damping: 0}\n"),
                  {"training[0].damping"});
}

}  // namespace
}  // namespace pinnkit::io
