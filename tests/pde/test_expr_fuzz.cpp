// Fuzz target of the expression language (issue 12): seeded random
// mutations of the corpus in tests/data/fuzz/expressions.txt must compile or
// be refused with an InputError; never crash, never throw anything else.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/error.hpp"
#include "support/fuzz_mutator.hpp"
#include "pde/expr_compile.hpp"

namespace pinnkit::pde {

TEST(ExprFuzz, MutatedExpressionsCompileOrAreInputErrors) {
  std::ifstream in(PINNKIT_TEST_DATA_DIR "/fuzz/expressions.txt");
  std::vector<std::string> corpus;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) corpus.push_back(line);
  ASSERT_GE(corpus.size(), 5u);
  const ExprSymbols symbols{{"x", "y", "t"}, {"u", "v"}, {{"nu", 0.01}}};
  testing::Mutator mutator(12, {"sin(", "lap(", "u_x", "u_xxxxx", "u_xyt", "^", "-", "(", ")", ",", "max(", "pi",
                                "nu", "w", "1e308", "*", "/0", "\xC3\xA9", "\xFF", std::string(1, '\0')});
  int accepted = 0, refused = 0;
  const int rounds = testing::fuzz_rounds(3000);
  for (int round = 0; round < rounds; ++round) {
    const std::string text = mutator.mutate(corpus[mutator.pick(corpus.size())]);
    try {
      compile_expression({text, "fuzz"}, symbols);
      ++accepted;
    } catch (const InputError& e) {
      ++refused;
      EXPECT_LT(std::string(e.what()).size(), 1000u) << "round " << round << ": " << testing::escaped(text);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "round " << round << ": " << e.what() << "\ninput: " << testing::escaped(text);
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_GT(refused, 0);
}

}  // namespace pinnkit::pde
