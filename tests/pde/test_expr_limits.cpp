// Issue 12, items 1 and 13: hostile expressions (deep nesting, huge sums,
// non-ASCII bytes) end in an InputError naming the key and the position,
// never in a stack overflow, a megabyte message or a lone byte.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "pde/expr_compile.hpp"

namespace pinnkit::pde {

namespace {

const char* const context = "config.yaml: problem.equations[0]";

ExprSymbols symbols() { return {{"x", "t"}, {"u"}, {{"nu", 0.01}}}; }

std::string error_of(const std::string& text) {
  try {
    compile_expression({text, context}, symbols());
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for an expression of " << text.size() << " bytes";
  return "";
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

void expect_depth_error(const std::string& text, const std::string& what) {
  const std::string message = error_of(text);
  EXPECT_EQ(message.rfind(std::string(context) + ": position ", 0), 0u) << message.substr(0, 300);
  EXPECT_NE(message.find(what), std::string::npos) << message.substr(0, 300);
  EXPECT_LT(message.size(), 600u) << "the message shows a window of the expression, not all of it";
}

}  // namespace

TEST(ExprLimits, DeepNestingIsAnInputErrorNotAStackOverflow) {
  expect_depth_error(repeat("(", 12000) + "u" + repeat(")", 12000), "nested parentheses");
  expect_depth_error(repeat("sin(", 100000) + "x" + repeat(")", 100000), "nested parentheses");
  expect_depth_error(repeat("-", 1000000) + "x", "nested parentheses");
  expect_depth_error(repeat("2^", 100000) + "x", "nested parentheses");
  // The position is where the limit was crossed: the 201st '('.
  EXPECT_NE(error_of(repeat("(", 300) + "u" + repeat(")", 300)).find("position 201:"), std::string::npos);
}

TEST(ExprLimits, AVeryLongSumIsAnInputErrorNotAStackOverflowInTheCompiler) {
  expect_depth_error("u" + repeat(" + x", 20000), "operations deep");
  expect_depth_error("u" + repeat("*x", 20000), "operations deep");
}

TEST(ExprLimits, ReasonableDepthsStillCompile) {
  EXPECT_NO_THROW(compile_expression({repeat("(", 150) + "u" + repeat(")", 150), context}, symbols()));
  EXPECT_NO_THROW(compile_expression({repeat("sin(", 100) + "x" + repeat(")", 100), context}, symbols()));
  EXPECT_NO_THROW(compile_expression({"u" + repeat(" + x", 1500), context}, symbols()));
}

TEST(ExprLimits, NonAsciiCharactersAreEchoedWholeAndPositionsCountCharacters) {
  const std::string message = error_of("u + \xC3\xA9");  // "u + é"
  EXPECT_NE(message.find("position 5: expected a number, a name, an operator or a parenthesis, got '\xC3\xA9'"),
            std::string::npos)
      << message;
  const std::string after = error_of("\xC3\xA9\xC3\xA9 $");  // the caret counts characters, not bytes
  EXPECT_NE(after.find("position 1:"), std::string::npos) << after;
  const std::string invalid = error_of("u + \xFF");
  EXPECT_NE(invalid.find("got the byte 0xFF (not UTF-8)"), std::string::npos) << invalid;
  const std::string nul = error_of(std::string("u + ") + '\0' + "x");
  EXPECT_NE(nul.find("got a NUL byte 0x00"), std::string::npos) << nul;
}

TEST(ExprLimits, ALongExpressionIsShownAsAWindowAroundThePosition) {
  const std::string text = repeat("x + ", 100) + "$" + repeat(" + x", 100);
  const std::string message = error_of(text);
  EXPECT_NE(message.find("position 401:"), std::string::npos) << message;
  const auto lines_at = message.find('\n');
  ASSERT_NE(lines_at, std::string::npos);
  const std::string shown = message.substr(lines_at + 1, message.find('\n', lines_at + 1) - lines_at - 1);
  const std::string caret = message.substr(message.rfind('\n') + 1);
  EXPECT_EQ(shown.substr(0, 5), "  ...");
  ASSERT_LT(caret.size() - 1, shown.size());
  EXPECT_EQ(shown[caret.size() - 1], '$') << "the caret points at the offending character";
}

}  // namespace pinnkit::pde
