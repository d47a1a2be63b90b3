#include "pde/expr_compile.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace pinnkit::pde {

namespace {

bool is_leaf(ExprOp op) {
  return op == ExprOp::constant || op == ExprOp::input || op == ExprOp::read;
}
bool is_commutative(ExprOp op) {
  return op == ExprOp::add || op == ExprOp::mul || op == ExprOp::min || op == ExprOp::max;
}

/// Integer exponents up to this size become pow_int (repeated squaring).
constexpr double max_int_exponent = 64;

/// A node of constants only, computed on the host with the kernels' own
/// Real functions so that folding never changes a result.
double fold(ExprOp op, double a, double b) {
  using namespace expr_detail;
  switch (op) {
    case ExprOp::neg: return -a;
    case ExprOp::add: return a + b;
    case ExprOp::sub: return a - b;
    case ExprOp::mul: return a * b;
    case ExprOp::div: return a / b;
    case ExprOp::pow:
      return (b == std::floor(b) && std::abs(b) <= max_int_exponent)
                 ? do_pow_int(a, static_cast<int>(b))
                 : do_pow(a, b);
    case ExprOp::sin: return do_sin(a);
    case ExprOp::cos: return do_cos(a);
    case ExprOp::tan: return do_tan(a);
    case ExprOp::exp: return do_exp(a);
    case ExprOp::log: return do_log(a);
    case ExprOp::sqrt: return do_sqrt(a);
    case ExprOp::abs: return do_abs(a);
    case ExprOp::tanh: return do_tanh(a);
    case ExprOp::sinh: return do_sinh(a);
    case ExprOp::cosh: return do_cosh(a);
    case ExprOp::sech: return do_sech(a);
    case ExprOp::min: return b < a ? b : a;
    case ExprOp::max: return b > a ? b : a;
    default: PINNKIT_CHECK(false, "expr: folding a leaf");
  }
  return 0;
}

class Compiler {
 public:
  Compiler(const ExprSource& source, ExprTree tree) : source_(source), tree_(std::move(tree)) {}

  ExprProgram compile() {
    fold_constants(tree_.root);
    collect_reads(tree_.root);
    std::sort(program_.reads.begin(), program_.reads.end(), read_before);
    std::sort(program_.unknowns.begin(), program_.unknowns.end());
    program_.stack_depth = depth(tree_.root);
    if (program_.stack_depth > expr_max_stack)
      throw InputError(input_message(
          source_.context, "",
          "expected an expression that needs at most " + std::to_string(expr_max_stack) +
              " stack entries, got one that needs " + std::to_string(program_.stack_depth) +
              " (split deeply nested parentheses)"));
    emit(tree_.root);
    return program_;
  }

 private:
  ExprNode& node(int i) { return tree_.nodes[i]; }

  void fold_constants(int i) {
    ExprNode& n = node(i);
    if (is_leaf(n.op)) return;
    fold_constants(n.a);
    if (n.b >= 0) fold_constants(n.b);
    const bool a_constant = node(n.a).op == ExprOp::constant;
    const bool b_constant = n.b < 0 || node(n.b).op == ExprOp::constant;
    if (a_constant && b_constant) {
      n.value = fold(n.op, node(n.a).value, n.b < 0 ? 0.0 : node(n.b).value);
      n.op = ExprOp::constant;
      n.a = n.b = -1;
    } else if (n.op == ExprOp::pow && b_constant) {
      const double p = node(n.b).value;
      if (p == std::floor(p) && std::abs(p) <= max_int_exponent) {
        n.op = ExprOp::pow_int;
        n.index = static_cast<int>(p);
        n.b = -1;
      }
    }
  }

  void collect_reads(int i) {
    const ExprNode& n = node(i);
    if (n.op == ExprOp::read && n.unknown >= 0) {
      if (std::find(program_.unknowns.begin(), program_.unknowns.end(), n.unknown) == program_.unknowns.end())
        program_.unknowns.push_back(n.unknown);
    } else if (n.op == ExprOp::read) {
      auto same = [&](const Read& r) {
        return r.output == n.read.output && r.alpha == n.read.alpha && r.laplacian == n.read.laplacian;
      };
      if (std::none_of(program_.reads.begin(), program_.reads.end(), same))
        program_.reads.push_back(n.read);
    }
    if (n.a >= 0) collect_reads(n.a);
    if (n.b >= 0) collect_reads(n.b);
  }

  /// Stack entries needed to evaluate node i (commutative operands are
  /// emitted deeper-first, which needs fewer).
  int depth(int i) {
    const ExprNode& n = node(i);
    if (is_leaf(n.op)) return 1;
    const int da = depth(n.a);
    if (n.b < 0) return da;
    const int db = depth(n.b);
    if (is_commutative(n.op)) return da == db ? da + 1 : std::max(da, db);
    return std::max(da, db + 1);
  }

  void emit(int i) {
    const ExprNode& n = node(i);
    switch (n.op) {
      case ExprOp::constant:
        program_.code.push_back({ExprOp::constant, static_cast<int>(program_.constants.size())});
        program_.constants.push_back(static_cast<Real>(n.value));
        return;
      case ExprOp::input: program_.code.push_back({ExprOp::input, n.index}); return;
      case ExprOp::read:
        program_.code.push_back({ExprOp::read, n.unknown >= 0 ? unknown_column(n.unknown) : read_column(n.read)});
        return;
      default: break;
    }
    if (n.b >= 0 && is_commutative(n.op) && depth(n.b) > depth(n.a)) {
      emit(n.b);
      emit(n.a);
    } else {
      emit(n.a);
      if (n.b >= 0) emit(n.b);
    }
    program_.code.push_back({n.op, n.op == ExprOp::pow_int ? n.index : 0});
  }

  int read_column(const Read& r) const {
    for (std::size_t k = 0; k < program_.reads.size(); ++k)
      if (program_.reads[k].output == r.output && program_.reads[k].alpha == r.alpha &&
          program_.reads[k].laplacian == r.laplacian)
        return static_cast<int>(k);
    PINNKIT_CHECK(false, "expr: a read missing from the read list");
    return -1;
  }

  /// Unknowns follow the jet entries in the read columns.
  int unknown_column(int unknown) const {
    const auto it = std::find(program_.unknowns.begin(), program_.unknowns.end(), unknown);
    PINNKIT_CHECK(it != program_.unknowns.end(), "expr: an unknown missing from the unknown list");
    return static_cast<int>(program_.reads.size() + (it - program_.unknowns.begin()));
  }

  const ExprSource& source_;
  ExprTree tree_;
  ExprProgram program_;
};

}  // namespace

bool read_before(const Read& a, const Read& b) {
  if (a.output != b.output) return a.output < b.output;
  // A Laplacian counts as order 2, after the pure second derivatives.
  const int order_a = a.laplacian.empty() ? std::accumulate(a.alpha.begin(), a.alpha.end(), 0) : 2;
  const int order_b = b.laplacian.empty() ? std::accumulate(b.alpha.begin(), b.alpha.end(), 0) : 2;
  if (order_a != order_b) return order_a < order_b;
  if (a.laplacian.empty() != b.laplacian.empty()) return a.laplacian.empty();
  if (a.alpha != b.alpha) return a.alpha > b.alpha;
  return a.laplacian < b.laplacian;
}

ExprProgram compile_expression(const ExprSource& source, const ExprSymbols& symbols) {
  validate_symbols(symbols, source.context);
  return Compiler(source, parse_expression(source, symbols)).compile();
}

}  // namespace pinnkit::pde
