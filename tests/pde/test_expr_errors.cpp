#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pde/expr_residual.hpp"

namespace pinnkit::pde {

namespace {

const char* const context = "config.yaml: problem.equations[0]";

ExprSymbols burgers_symbols() { return {{"x", "y", "t"}, {"u", "v"}, {{"nu", 0.01}}}; }

/// The InputError message of compiling `text`, or a test failure.
std::string error_of(const std::string& text, const ExprSymbols& symbols = burgers_symbols()) {
  try {
    compile_expression({text, context}, symbols);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for '" << text << "'";
  return "";
}

struct ErrorCase {
  const char* text;
  const char* expected;  ///< the "position N: expected ..., got ..." part
};

}  // namespace

TEST(ExprErrors, EveryErrorNamesContextPositionExpectationAndToken) {
  const std::vector<ErrorCase> cases{
      {"u + * v", "position 5: expected a number, a name or '(', got '*'"},
      {"sin(u", "position 6: expected ')' to close the '(' at position 4, got end of expression"},
      {"(u + 1))",
       "position 8: expected an operator or end of expression (unbalanced ')'), got ')'"},
      {"((u)", "position 5: expected ')' to close the '(' at position 1, got end of expression"},
      {"", "position 1: expected an expression, got end of expression"},
      {"   ", "position 1: expected an expression, got end of expression"},
      {"u v", "position 3: expected an operator or end of expression, got 'v'"},
      {"u +", "position 4: expected a number, a name or '(', got end of expression"},
      {"2e", "position 2: expected an operator or end of expression, got 'e'"},
      {"u $ 1", "position 3: expected a number, a name, an operator or a parenthesis, got '$'"},
      {"1.2.3", "position 4: expected a digit or an operator after the number, got '.'"},
      {"sni(u)",
       "position 1: expected a function name (sin, cos, ..., max), got 'sni' (did you mean "
       "'sin'?)"},
      {"nuu*u_xx",
       "position 1: expected an input, output, derivative, parameter, constant or function name, "
       "got 'nuu' (did you mean 'nu'?)"},
      {"u_t - nu*u_xxx + qq",
       "position 18: expected an input, output, derivative, parameter, constant or function name, "
       "got 'qq'"},
      {"max(u)", "position 1: expected 2 arguments to 'max', got 1"},
      {"min(u, v, 1)", "position 1: expected 2 arguments to 'min', got 3"},
      {"sin(u, v)", "position 1: expected 1 argument to 'sin', got 2"},
      {"1 + cos()", "position 5: expected 1 argument to 'cos', got 0"},
      {"sin u", "position 5: expected '(' after the function 'sin', got 'u'"},
      {"w_x + u", "position 1: expected a derivative of an output (u, v), got 'w_x'"},
      {"u_xz",
       "position 4: expected a derivative with respect to the inputs (x, y, t), got 'u_xz'"},
      {"u_", "position 3: expected a derivative with respect to the inputs (x, y, t), got 'u_'"},
      {"u_xxxxx",
       "position 1: expected a derivative of total order at most 4, got 'u_xxxxx' (order 5)"},
      {"u_xxy", "position 1: expected a mixed derivative of total order 2 (like u_xy)"},
      {"u_xyt", "position 1: expected a mixed derivative of total order 2 (like u_xy)"},
      {"v_yx*u_tx+u_xtt", "position 11: expected a mixed derivative of total order 2"},
  };
  for (const auto& c : cases) {
    const std::string message = error_of(c.text);
    EXPECT_EQ(message.rfind(std::string(context) + ": position", 0), 0u) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "for '" << c.text << "'\n got: " << message << "\n want: " << c.expected;
  }
}

TEST(ExprErrors, TheExpressionIsQuotedWithACaretUnderThePosition) {
  const std::string message = error_of("u + * v");
  const std::string tail = "\n  u + * v\n      ^";
  ASSERT_GE(message.size(), tail.size());
  EXPECT_EQ(message.substr(message.size() - tail.size()), tail) << message;
}

TEST(ExprErrors, AFieldOfTheInputsRejectsOutputs) {
  try {
    ExprField field({"sin(pi*x) + u", "config.yaml: problem.exact"}, {"x", "t"});
    FAIL() << "an output in a field must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("position 13: expected an input, parameter"),
              std::string::npos)
        << e.what();
  }
}

TEST(ExprErrors, InvalidSymbolsAreRejectedWithTheClash) {
  auto symbol_error = [](const ExprSymbols& s) -> std::string {
    try {
      compile_expression({"1", context}, s);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(symbol_error({{"x", "t"}, {"x"}, {}}).find("got 'x' twice"), std::string::npos);
  EXPECT_NE(symbol_error({{"x"}, {"u"}, {{"u", 1.0}}}).find("got 'u' twice"), std::string::npos);
  EXPECT_NE(
      symbol_error({{"x"}, {"u"}, {{"sin", 1.0}}}).find("not a function or constant, got 'sin'"),
      std::string::npos);
  EXPECT_NE(symbol_error({{"x_1"}, {"u"}, {}}).find("letters and digits, got 'x_1'"),
            std::string::npos);
  EXPECT_NE(symbol_error({{"x"}, {"u_0"}, {}}).find("got 'u_0'"), std::string::npos);
  EXPECT_NE(symbol_error({{}, {"u"}, {}}).find("at least one input"), std::string::npos);
  EXPECT_EQ(symbol_error({{"x"}, {"u"}, {{"k_0", 1.0}}}), "");  // '_' is fine in parameters
}

TEST(ExprErrors, ResidualsNeedOneToSixteenReads) {
  const ExprSymbols s{{"x", "y", "z", "t"}, {"u"}, {}};
  std::string many = "u + u_x + u_y + u_z + u_t";
  for (const char* second :
       {"u_xx", "u_yy", "u_zz", "u_tt", "u_xy", "u_xz", "u_xt", "u_yz", "u_yt", "u_zt", "u_xxx"})
    many += std::string(" + ") + second;
  EXPECT_EQ(ExprResidual({many, context}, s).reads().size(), 16u);
  try {
    ExprResidual({many + " + u_yyy", context}, s);
    FAIL() << "17 reads must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 16 distinct outputs and derivatives in one "
                                         "residual, got 17"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ExprResidual({"x - 1", context}, s), InputError);
}

}  // namespace pinnkit::pde
