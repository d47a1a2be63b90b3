#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "core/error.hpp"
#include "pde/expr_compile.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {

ExprSymbols xy_symbols() { return {{"x", "y"}, {}, {{"nu", 0.3}}}; }

double eval(const std::string& text, const ExprSymbols& symbols, const std::vector<Real>& inputs,
            const std::vector<Real>& reads = {}) {
  const ExprProgram program = compile_expression({text, "test"}, symbols);
  return evaluate_on_host(program, inputs, reads);
}

struct Case {
  const char* text;
  double expected;
};

}  // namespace

// Precedence and associativity, once folded to constants and once evaluated
// at run time from inputs a, b, c = 2, 3, 2 (so both paths are checked).
TEST(ExprParse, PrecedenceAndAssociativityFollowTheUsualRules) {
  const std::vector<Case> constants{
      {"1+2*3", 7},   {"(1+2)*3", 9}, {"2^3^2", 512}, {"(2^3)^2", 64}, {"-2^2", -4},
      {"(-2)^2", 4},  {"2^-1", 0.5},  {"--3", 3},     {"-+-3", 3},     {"- - -3", -3},
      {"8/4/2", 1},   {"8-4-2", 2},   {"2*3^2", 18},  {"-2*-3", 6},    {"1e-3*1000", 1},
      {".5+2.", 2.5}, {"2.5E+1", 25}, {"6/2*3", 9},   {"2^3*2", 16},   {"1-2+3", 2},
  };
  for (const auto& c : constants)
    EXPECT_DOUBLE_EQ(eval(c.text, xy_symbols(), {0, 0}), c.expected) << c.text;

  const ExprSymbols abc{{"a", "b", "c"}, {}, {}};
  const std::vector<Real> at{2, 3, 2};
  const std::vector<Case> runtime{
      {"a^b^c", 512}, {"(a^b)^c", 64}, {"-a^c", -4},  {"(-a)^c", 4},
      {"a^-c", 0.25}, {"--a", 2},      {"-+-a", 2},   {"a/c/c", 0.5},
      {"a-b-c", -3},  {"a*b^c", 18},   {"-a*-b", 6},  {"b/a*c", 3},
      {"a+b*c", 8},   {"(a+b)*c", 10}, {"a^b*c", 16}, {"-a^b^c*-1", 512},
  };
  for (const auto& c : runtime) EXPECT_DOUBLE_EQ(eval(c.text, abc, at), c.expected) << c.text;
}

TEST(ExprParse, ConstantSubexpressionsFoldIntoOneInstruction) {
  EXPECT_EQ(compile_expression({"2^3^2 + pi*sin(1)", "t"}, xy_symbols()).code.size(), 1u);
  // x * 8: constant, input, mul; and an integer power becomes pow_int.
  EXPECT_EQ(compile_expression({"x*2^3", "t"}, xy_symbols()).code.size(), 3u);
  const auto squared = compile_expression({"x^(1+1)", "t"}, xy_symbols());
  ASSERT_EQ(squared.code.size(), 2u);
  EXPECT_EQ(squared.code[1].op, ExprOp::pow_int);
  EXPECT_EQ(squared.code[1].arg, 2);
}

TEST(ExprParse, EveryFunctionMatchesTheStandardLibrary) {
  struct Function {
    const char* name;
    std::function<double(double)> reference;
  };
  const std::vector<Function> unary{
      {"sin", [](double v) { return std::sin(v); }},
      {"cos", [](double v) { return std::cos(v); }},
      {"tan", [](double v) { return std::tan(v); }},
      {"exp", [](double v) { return std::exp(v); }},
      {"log", [](double v) { return std::log(v); }},
      {"sqrt", [](double v) { return std::sqrt(v); }},
      {"abs", [](double v) { return std::abs(v); }},
      {"tanh", [](double v) { return std::tanh(v); }},
      {"sinh", [](double v) { return std::sinh(v); }},
      {"cosh", [](double v) { return std::cosh(v); }},
      {"sech", [](double v) { return 1 / std::cosh(v); }},
  };
  const bool positive_only[] = {false, false, false, false, true, true,
                                false, false, false, false, false};
  const std::vector<double> points{-2.3, -0.7, 0.05, 0.4, 1.1, 2.9};
  for (std::size_t f = 0; f < unary.size(); ++f)
    for (double p : points) {
      const double v = positive_only[f] ? std::abs(p) : p;
      const std::string text = std::string(unary[f].name) + "(x)";
      EXPECT_NEAR(eval(text, xy_symbols(), {v, 0}), unary[f].reference(v),
                  testing::tol(1e-14) * (1 + std::abs(unary[f].reference(v))))
          << text << " at " << v;
    }
  for (double p : points)
    for (double q : points) {
      EXPECT_EQ(eval("min(x, y)", xy_symbols(), {p, q}), static_cast<Real>(std::min(p, q)));
      EXPECT_EQ(eval("max(x, y)", xy_symbols(), {p, q}), static_cast<Real>(std::max(p, q)));
      if (p > 0) {
        EXPECT_NEAR(eval("x^y", xy_symbols(), {p, q}), std::pow(p, q), testing::tol(1e-14) * std::pow(p, q));
      }
    }
}

TEST(ExprParse, ParametersAndConstantsTakeTheirValues) {
  ExprSymbols s{{"x"}, {}, {{"nu", 0.3}, {"beta", -1.5}, {"k_0", 4}}};
  PINNKIT_EXPECT_REAL_EQ(eval("nu*pi + e - beta*k_0*x", s, {2.0}), 0.3 * M_PI + M_E + 1.5 * 4 * 2.0);
  s.parameters["nu"] = 0.7;
  PINNKIT_EXPECT_REAL_EQ(eval("nu", s, {0.0}), 0.7);
}

TEST(ExprParse, DerivativeNamesParseToTheirMultiIndex) {
  const ExprSymbols s{{"x", "y", "t"}, {"u", "v"}, {}};
  auto single_read = [&](const std::string& text) {
    const auto program = compile_expression({text, "t"}, s);
    EXPECT_EQ(program.reads.size(), 1u) << text;
    return program.reads.at(0);
  };
  EXPECT_EQ(single_read("u").alpha, (MultiIndex{0, 0, 0}));
  EXPECT_EQ(single_read("u_x").alpha, (MultiIndex{1, 0, 0}));
  EXPECT_EQ(single_read("u_xy").alpha, (MultiIndex{1, 1, 0}));
  EXPECT_EQ(single_read("u_yx").alpha, (MultiIndex{1, 1, 0}));
  EXPECT_EQ(single_read("u_tt").alpha, (MultiIndex{0, 0, 2}));
  EXPECT_EQ(single_read("u_xxxx").alpha, (MultiIndex{4, 0, 0}));
  EXPECT_EQ(single_read("u_yyy").alpha, (MultiIndex{0, 3, 0}));
  EXPECT_EQ(single_read("v_t").output, 1);
  EXPECT_EQ(single_read("v_t").alpha, (MultiIndex{0, 0, 1}));
  EXPECT_EQ(single_read("u_xy + u_yx").alpha, (MultiIndex{1, 1, 0}));  // one read, used twice
}

// lap(u) is one read: the Laplacian over every input but t, after the
// pure second derivatives of the same output, and used twice it is read once.
TEST(ExprParse, LapIsOneLaplacianReadOverTheSpatialInputs) {
  const ExprSymbols s{{"x", "y", "t"}, {"u", "v"}, {}};
  const auto program = compile_expression({"v_t - lap(v) + u_xx*lap(u) + lap(u)", "t"}, s);
  ASSERT_EQ(program.reads.size(), 4u);
  EXPECT_EQ(program.reads[0].alpha, (MultiIndex{2, 0, 0}));
  EXPECT_TRUE(program.reads[0].laplacian.empty());
  EXPECT_EQ(program.reads[1].output, 0);
  EXPECT_EQ(program.reads[1].laplacian, (std::vector<int>{0, 1}));
  EXPECT_EQ(program.reads[2].alpha, (MultiIndex{0, 0, 1}));
  EXPECT_EQ(program.reads[3].output, 1);
  EXPECT_EQ(program.reads[3].laplacian, (std::vector<int>{0, 1}));
  // Columns: u_xx = 2, lap(u) = 3, v_t = 5, lap(v) = 7.
  EXPECT_DOUBLE_EQ(evaluate_on_host(program, {0, 0, 0}, {2, 3, 5, 7}), 5 - 7 + 2 * 3 + 3);
  // Without t, every input counts.
  const ExprSymbols xyz{{"x", "y", "z"}, {"u"}, {}};
  EXPECT_EQ(compile_expression({"lap(u)", "t"}, xyz).reads.at(0).laplacian, (std::vector<int>{0, 1, 2}));
}

TEST(ExprParse, LapNeedsOneOutputName) {
  const ExprSymbols s{{"x", "t"}, {"u"}, {}};
  for (const char* bad : {"lap(x)", "lap(u_x)", "lap(u, u)", "lap", "lap(2)"})
    EXPECT_THROW(compile_expression({bad, "t"}, s), InputError) << bad;
  EXPECT_THROW(compile_expression({"lap(u)", "t"}, ExprSymbols{{"t"}, {"u"}, {}}), InputError);
  EXPECT_THROW(validate_symbols(ExprSymbols{{"lap"}, {"u"}, {}}, "t"), InputError);  // reserved
}

TEST(ExprParse, MultiLetterInputsSplitGreedily) {
  const ExprSymbols s{{"r", "theta", "x1", "x12"}, {"rho"}, {}};
  auto alpha = [&](const std::string& text) {
    return compile_expression({text, "t"}, s).reads.at(0).alpha;
  };
  EXPECT_EQ(alpha("rho_rtheta"), (MultiIndex{1, 1, 0, 0}));
  EXPECT_EQ(alpha("rho_thetatheta"), (MultiIndex{0, 2, 0, 0}));
  EXPECT_EQ(alpha("rho_x12"), (MultiIndex{0, 0, 0, 1}));  // longest match, not x1 then "2"
  EXPECT_EQ(alpha("rho_x1x1"), (MultiIndex{0, 0, 2, 0}));
  EXPECT_DOUBLE_EQ(eval("theta*x12", s, {1, 2, 3, 4}, {}), 8.0);
}

TEST(ExprParse, ReadsAreDistinctAndInCanonicalOrder) {
  const ExprSymbols s{{"x", "y"}, {"u", "v"}, {}};
  const auto program = compile_expression({"u_yy + v*u_x*u + v_x + u_x + u_xx + u_yx + v", "t"}, s);
  const std::vector<std::pair<int, MultiIndex>> expected{
      {0, {0, 0}}, {0, {1, 0}}, {0, {2, 0}}, {0, {1, 1}}, {0, {0, 2}}, {1, {0, 0}}, {1, {1, 0}}};
  ASSERT_EQ(program.reads.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(program.reads[k].output, expected[k].first) << k;
    EXPECT_EQ(program.reads[k].alpha, expected[k].second) << k;
  }
  // Columns follow that order: u=1, u_x=2, u_xx=3, u_xy=4, u_yy=5, v=6, v_x=7.
  EXPECT_DOUBLE_EQ(evaluate_on_host(program, {0, 0}, {1, 2, 3, 4, 5, 6, 7}),
                   5 + 6 * 2 * 1 + 7 + 2 + 3 + 4 + 6);
}

// Sums nest right without limit (operands of + are reordered deeper-first),
// but a right-nested difference needs one stack entry per level.
TEST(ExprParse, StackDepthIsBoundedAndReorderingKeepsSumsShallow) {
  std::string sum = "x", difference = "x";
  for (int i = 0; i < 40; ++i) sum = "x+(" + sum + ")";
  const auto program = compile_expression({sum, "t"}, xy_symbols());
  EXPECT_LE(program.stack_depth, 2);
  EXPECT_DOUBLE_EQ(evaluate_on_host(program, {0.5, 0}, {}), 41 * 0.5);
  for (int i = 0; i < expr_max_stack; ++i) difference = "x-(" + difference + ")";
  EXPECT_THROW(compile_expression({difference, "t"}, xy_symbols()), InputError);
}

}  // namespace pinnkit::pde
