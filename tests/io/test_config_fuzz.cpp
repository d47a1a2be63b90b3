// Fuzz target of the config reader (issue 12): seeded random mutations of
// the configs in tests/data/fuzz/config/ (and random --set overrides) must
// parse or be refused with an InputError; never crash, never anything else.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fuzz_mutator.hpp"
#include "core/error.hpp"
#include "io/config.hpp"

namespace pinnkit::io {

TEST(ConfigFuzz, MutatedConfigsParseOrAreInputErrors) {
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(PINNKIT_TEST_DATA_DIR "/fuzz/config")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    corpus.push_back(text.str());
  }
  ASSERT_GE(corpus.size(), 3u);
  testing::Mutator mutator(12, {": ", "\n", "- ", "{", "}", "[", "]", ",", "#", "&a ", "*a", "!!str ", "---\n",
                                "? ", "|\n  ", "'", "\"", "model:", "hidden: [", "grid: [", "name: ../x",
                                "training[1].lr", "\xC3\xA9", "\xFF", "\t", "  ", "<<: *a"});
  const std::vector<std::string> override_keys{"seed", "model.hidden", "training[0].lr", "training[3].steps",
                                               "problem.params.a", "evaluation.grid", "name", "sampling"};
  int accepted = 0, refused = 0;
  const int rounds = testing::fuzz_rounds(400);
  for (int round = 0; round < rounds; ++round) {
    const std::string text = mutator.mutate(corpus[mutator.pick(corpus.size())]);
    std::vector<std::string> overrides;
    if (mutator.pick(4) == 0)
      overrides.push_back(mutator.mutate(override_keys[mutator.pick(override_keys.size())] + "=[1, 2]"));
    try {
      const RunSpec spec = parse_config(text, "fuzz.yaml", overrides);
      // What parses must also write and parse back.
      parse_config(to_yaml(spec), "resolved.yaml");
      ++accepted;
    } catch (const InputError& e) {
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "round " << round << ": " << e.what() << "\ninput: " << testing::escaped(text)
                    << (overrides.empty() ? "" : "\n--set " + testing::escaped(overrides[0]));
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(accepted + refused, 0);
}

}  // namespace pinnkit::io
