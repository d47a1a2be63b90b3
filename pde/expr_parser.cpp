#include "pde/expr_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/error.hpp"

namespace pinnkit::pde {

namespace {

struct FunctionInfo {
  const char* name;
  ExprOp op;
  int arity;
};

constexpr FunctionInfo functions[] = {
    {"sin", ExprOp::sin, 1},   {"cos", ExprOp::cos, 1},   {"tan", ExprOp::tan, 1},
    {"exp", ExprOp::exp, 1},   {"log", ExprOp::log, 1},   {"sqrt", ExprOp::sqrt, 1},
    {"abs", ExprOp::abs, 1},   {"tanh", ExprOp::tanh, 1}, {"sinh", ExprOp::sinh, 1},
    {"cosh", ExprOp::cosh, 1}, {"sech", ExprOp::sech, 1}, {"min", ExprOp::min, 2},
    {"max", ExprOp::max, 2},
};

const FunctionInfo* find_function(const std::string& name) {
  for (const auto& f : functions)
    if (name == f.name) return &f;
  return nullptr;
}

bool is_plain_name(const std::string& s, bool allow_underscore) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && !(allow_underscore && c == '_'))
      return false;
  return true;
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

class Parser {
 public:
  Parser(const ExprSource& source, const ExprSymbols& symbols)
      : source_(source), symbols_(symbols), tokens_(tokenize(source)) {}

  ExprTree parse() {
    if (peek().kind == TokenKind::end) expr_error(source_, 0, "an expression", "end of expression");
    tree_.root = expression();
    if (peek().kind != TokenKind::end) {
      const bool stray_paren = peek().text == ")";
      expr_error(source_, peek().position,
                 stray_paren ? "an operator or end of expression (unbalanced ')')"
                             : "an operator or end of expression",
                 describe_token(peek()));
    }
    return tree_;
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  bool accept(const char* symbol) {
    if (peek().kind != TokenKind::symbol || peek().text != symbol) return false;
    ++next_;
    return true;
  }

  int add(ExprNode node) {
    int depth = 1;
    if (node.a >= 0) depth = std::max(depth, depths_[node.a] + 1);
    if (node.b >= 0) depth = std::max(depth, depths_[node.b] + 1);
    if (depth > expr_max_tree_depth)
      expr_error(source_, node.position,
                 "an expression at most " + std::to_string(expr_max_tree_depth) +
                     " operations deep (split long sums or products into parameters or several terms)",
                 "a deeper one");
    tree_.nodes.push_back(node);
    depths_.push_back(depth);
    return static_cast<int>(tree_.nodes.size()) - 1;
  }

  /// Counts the nesting of unary(), which every recursion of the grammar
  /// passes through ('(' expression ')', function arguments, signs, '^').
  class Nesting {
   public:
    Nesting(Parser& parser, std::size_t position) : parser_(parser) {
      if (++parser_.nesting_ > expr_max_nesting)
        expr_error(parser_.source_, position,
                   "at most " + std::to_string(expr_max_nesting) +
                       " levels of nested parentheses, function calls, signs and powers",
                   "deeper nesting");
    }
    ~Nesting() { --parser_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };
  int operation(ExprOp op, int a, int b, std::size_t position) {
    ExprNode n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.position = position;
    return add(n);
  }

  // expression := term (('+' | '-') term)*
  int expression() {
    int left = term();
    for (;;) {
      const std::size_t at = peek().position;
      if (accept("+"))
        left = operation(ExprOp::add, left, term(), at);
      else if (accept("-"))
        left = operation(ExprOp::sub, left, term(), at);
      else
        return left;
    }
  }
  // term := unary (('*' | '/') unary)*
  int term() {
    int left = unary();
    for (;;) {
      const std::size_t at = peek().position;
      if (accept("*"))
        left = operation(ExprOp::mul, left, unary(), at);
      else if (accept("/"))
        left = operation(ExprOp::div, left, unary(), at);
      else
        return left;
    }
  }
  // unary := ('-' | '+') unary | power   (so -x^2 = -(x^2))
  int unary() {
    const std::size_t at = peek().position;
    const Nesting nesting(*this, at);
    if (accept("-")) return operation(ExprOp::neg, unary(), -1, at);
    if (accept("+")) return unary();
    return power();
  }
  // power := primary ('^' unary)?   (right-associative: 2^3^2 = 2^9; 2^-1 allowed)
  int power() {
    const int base = primary();
    const std::size_t at = peek().position;
    if (accept("^")) return operation(ExprOp::pow, base, unary(), at);
    return base;
  }
  // primary := number | name | function '(' args ')' | '(' expression ')'
  int primary() {
    const Token& t = peek();
    if (t.kind == TokenKind::number) {
      ++next_;
      return constant(t.number, t.position);
    }
    if (t.kind == TokenKind::name) {
      ++next_;
      return name(t);
    }
    if (accept("(")) {
      const int inner = expression();
      close_paren(t.position);
      return inner;
    }
    expr_error(source_, t.position, "a number, a name or '('", describe_token(t));
  }

  void close_paren(std::size_t open_position) {
    if (accept(")")) return;
    expr_error(source_, peek().position,
               "')' to close the '(' at position " + std::to_string(open_position + 1),
               describe_token(peek()));
  }

  int constant(double value, std::size_t position) {
    ExprNode n;
    n.value = value;
    n.position = position;
    return add(n);
  }

  int name(const Token& t) {
    const std::string& s = t.text;
    const bool call = peek().kind == TokenKind::symbol && peek().text == "(";
    if (s == "lap") return laplacian(t, call);
    if (const FunctionInfo* f = find_function(s)) {
      if (!call)
        expr_error(source_, peek().position, "'(' after the function '" + s + "'",
                   describe_token(peek()));
      return function_call(*f, t);
    }
    if (call) expr_error(source_, t.position, "a function name (sin, cos, ..., max)", unknown(s));
    if (s == "pi") return constant(M_PI, t.position);
    if (s == "e") return constant(M_E, t.position);
    const auto p = symbols_.parameters.find(s);
    if (p != symbols_.parameters.end()) return constant(p->second, t.position);
    ExprNode n;
    n.position = t.position;
    if ((n.unknown = index_of(symbols_.unknowns, s)) >= 0) {
      n.op = ExprOp::read;
      return add(n);
    }
    if ((n.index = index_of(symbols_.inputs, s)) >= 0) {
      n.op = ExprOp::input;
      return add(n);
    }
    const std::size_t underscore = s.find('_');
    const int output = index_of(symbols_.outputs, s.substr(0, underscore));
    if (output < 0) {
      if (underscore == std::string::npos || symbols_.outputs.empty())
        expr_error(source_, t.position,
                   symbols_.outputs.empty()
                       ? "an input, parameter, constant or function name"
                       : "an input, output, derivative, parameter, constant or function name",
                   unknown(s));
      expr_error(source_, t.position, "a derivative of an output (" + join(symbols_.outputs) + ")",
                 unknown(s));
    }
    n.op = ExprOp::read;
    n.read = {output, MultiIndex(symbols_.inputs.size(), 0)};
    if (underscore != std::string::npos) derivative(t, underscore + 1, n.read.alpha);
    return add(n);
  }

  /// lap(u): the sum of u's pure second derivatives over the spatial inputs
  /// (all but t), one read that the jets carry in one channel.
  int laplacian(const Token& t, bool call) {
    const std::string what = "lap(<output>), e.g. lap(" + (symbols_.outputs.empty() ? std::string("u") : symbols_.outputs.front()) + ")";
    if (!call) expr_error(source_, peek().position, "'(' after 'lap': " + what, describe_token(peek()));
    const std::size_t open = peek().position;
    accept("(");
    const Token& arg = peek();
    const int output = arg.kind == TokenKind::name ? index_of(symbols_.outputs, arg.text) : -1;
    if (output < 0) expr_error(source_, arg.position, "an output name inside " + what, describe_token(arg));
    ++next_;
    close_paren(open);
    std::vector<int> axes;
    for (std::size_t i = 0; i < symbols_.inputs.size(); ++i)
      if (symbols_.inputs[i] != "t") axes.push_back(static_cast<int>(i));
    if (axes.empty()) expr_error(source_, t.position, "a spatial input for lap()", "only t");
    ExprNode n;
    n.position = t.position;
    n.op = ExprOp::read;
    n.read = Read::laplacian_of(output, static_cast<int>(symbols_.inputs.size()), axes);
    return add(n);
  }

  /// Splits the suffix greedily into input names (longest match first).
  void derivative(const Token& t, std::size_t start, MultiIndex& alpha) {
    const std::string& s = t.text;
    std::size_t i = start;
    int total = 0, axes = 0;
    do {
      int best = -1;
      std::size_t best_length = 0;
      for (std::size_t k = 0; k < symbols_.inputs.size(); ++k) {
        const std::string& in = symbols_.inputs[k];
        if (in.size() > best_length && s.compare(i, in.size(), in) == 0) {
          best = static_cast<int>(k);
          best_length = in.size();
        }
      }
      if (best < 0)
        expr_error(source_, t.position + i,
                   "a derivative with respect to the inputs (" + join(symbols_.inputs) + ")",
                   "'" + s + "'");
      axes += alpha[best] == 0 ? 1 : 0;
      ++alpha[best];
      ++total;
      i += best_length;
    } while (i < s.size());
    if (total > max_jet_order)
      expr_error(source_, t.position, "a derivative of total order at most 4",
                 "'" + s + "' (order " + std::to_string(total) + ")");
    if (axes > 1 && total != 2)
      expr_error(source_, t.position,
                 "a mixed derivative of total order 2 (like u_xy); higher mixed orders are not "
                 "supported",
                 "'" + s + "'");
  }

  int function_call(const FunctionInfo& f, const Token& t) {
    const std::size_t open = peek().position;
    accept("(");
    std::vector<int> args;
    if (!accept(")")) {
      args.push_back(expression());
      while (accept(",")) args.push_back(expression());
      close_paren(open);
    }
    if (static_cast<int>(args.size()) != f.arity)
      expr_error(source_, t.position,
                 std::to_string(f.arity) + (f.arity == 1 ? " argument" : " arguments") + " to '" +
                     f.name + "'",
                 std::to_string(args.size()));
    return operation(f.op, args[0], f.arity == 2 ? args[1] : -1, t.position);
  }

  /// "'nme' (did you mean 'nu'?)" over every name the expression could use.
  std::string unknown(const std::string& s) const {
    std::vector<std::string> known = {"pi", "e"};
    for (const auto& f : functions) known.push_back(f.name);
    for (const auto& p : symbols_.parameters) known.push_back(p.first);
    known.insert(known.end(), symbols_.unknowns.begin(), symbols_.unknowns.end());
    known.insert(known.end(), symbols_.inputs.begin(), symbols_.inputs.end());
    for (const auto& o : symbols_.outputs) {
      known.push_back(o);
      for (const auto& a : symbols_.inputs) {
        known.push_back(o + "_" + a);
        for (const auto& b : symbols_.inputs) known.push_back(o + "_" + a + b);
      }
    }
    const std::string guess = closest_name(s, known);
    return "'" + s + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)");
  }

  const ExprSource& source_;
  const ExprSymbols& symbols_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  ExprTree tree_;
  std::vector<int> depths_;  ///< tree depth of each node of tree_
  int nesting_ = 0;
};

}  // namespace

bool is_reserved_name(const std::string& name) {
  return name == "pi" || name == "e" || name == "lap" || find_function(name) != nullptr;
}

void validate_symbols(const ExprSymbols& symbols, const std::string& context) {
  std::set<std::string> seen;
  auto check = [&](const std::string& kind, const std::string& name, bool allow_underscore) {
    if (!is_plain_name(name, allow_underscore))
      throw InputError(input_message(context, "",
                                     "expected " + kind + " names of letters and digits" +
                                         (allow_underscore ? " and '_'" : "") + ", got '" + name +
                                         "'"));
    if (is_reserved_name(name))
      throw InputError(input_message(
          context, "",
          "expected " + kind + " names that are not a function or constant, got '" + name + "'"));
    if (!seen.insert(name).second)
      throw InputError(input_message(
          context, "",
          "expected distinct input, output, parameter and unknown names, got '" + name + "' twice"));
  };
  if (symbols.inputs.empty())
    throw InputError(input_message(context, "", "expected at least one input name, got none"));
  for (const auto& n : symbols.inputs) check("input", n, false);
  for (const auto& n : symbols.outputs) check("output", n, false);
  for (const auto& p : symbols.parameters) {
    check("parameter", p.first, true);
    if (!std::isfinite(p.second))
      throw InputError(input_message(context, "",
                                     "expected a finite value for parameter '" + p.first +
                                         "', got " + std::to_string(p.second)));
  }
  for (const auto& n : symbols.unknowns) check("unknown", n, true);
}

ExprTree parse_expression(const ExprSource& source, const ExprSymbols& symbols) {
  return Parser(source, symbols).parse();
}

}  // namespace pinnkit::pde
