#pragma once
/// \brief A compiled expression: a flat stack program of POD instructions that
/// a kernel interprets once per point, on Real or on Dual<N> scalars.
///
/// Leaves push a constant, a point coordinate (input) or a jet entry (read);
/// operators pop their operands and push the result. The stack lives in a
/// fixed-size local array (`expr_max_stack`), whose bound the compiler checks,
/// so interpreting needs no allocation and no recursion.
#include <string>
#include <vector>

#include "core/dual.hpp"
#include "core/kokkos.hpp"
#include "pde/problem.hpp"

namespace pinnkit::pde {

/// Deepest stack a program may need (checked when compiling).
inline constexpr int expr_max_stack = 16;
/// Deepest nesting the parser accepts (parentheses, function calls, signs and
/// powers inside one another), and the deepest syntax tree (a sum of many
/// terms is a deep tree too): the parser and compiler recurse, and a bound
/// turns a stack overflow on hostile input into an InputError.
inline constexpr int expr_max_nesting = 200;
inline constexpr int expr_max_tree_depth = 2000;

enum class ExprOp : int {
  constant,  ///< push constants[arg]
  input,     ///< push point coordinate arg
  read,      ///< push jet entry arg (a column of reads(), then of the unknowns)
  neg,
  add,
  sub,
  mul,
  div,
  pow,      ///< a^b, b varying
  pow_int,  ///< a^arg, arg an integer exponent known at compile time
  sin,
  cos,
  tan,
  exp,
  log,
  sqrt,
  abs,
  tanh,
  sinh,
  cosh,
  sech,
  min,
  max,
};

/// One instruction: 8 bytes, trivially copyable to any memory space.
struct ExprInstr {
  ExprOp op = ExprOp::constant;
  int arg = 0;
};

/// What the compiler produces; host memory. `reads` lists the jet entries the
/// program reads, in the column order of ExprOp::read's arg.
struct ExprProgram {
  std::vector<ExprInstr> code;
  std::vector<Real> constants;
  std::vector<Read> reads;
  /// The unknowns read (indices into ExprSymbols::unknowns, ascending): read
  /// column reads.size() + j holds unknowns[j]'s value.
  std::vector<int> unknowns;
  int stack_depth = 0;
};

namespace expr_detail {

// Each scalar operation has a Real overload (Kokkos math) and a Dual overload
// (core/dual.hpp's chain rules), so one interpreter serves both.
#define PINNKIT_EXPR_UNARY(name, real_expr, dual_expr)           \
  KOKKOS_INLINE_FUNCTION Real name(Real a) { return real_expr; } \
  template <int N>                                               \
  KOKKOS_INLINE_FUNCTION Dual<N> name(const Dual<N>& a) {        \
    return dual_expr;                                            \
  }
PINNKIT_EXPR_UNARY(do_sin, math::sin(a), pinnkit::sin(a))
PINNKIT_EXPR_UNARY(do_cos, math::cos(a), pinnkit::cos(a))
PINNKIT_EXPR_UNARY(do_tan, math::tan(a), pinnkit::tan(a))
PINNKIT_EXPR_UNARY(do_exp, math::exp(a), pinnkit::exp(a))
PINNKIT_EXPR_UNARY(do_log, math::log(a), pinnkit::log(a))
PINNKIT_EXPR_UNARY(do_sqrt, math::sqrt(a), pinnkit::sqrt(a))
PINNKIT_EXPR_UNARY(do_abs, math::abs(a), pinnkit::abs(a))
PINNKIT_EXPR_UNARY(do_tanh, math::tanh(a), pinnkit::tanh(a))
PINNKIT_EXPR_UNARY(do_sinh, math::sinh(a), pinnkit::sinh(a))
PINNKIT_EXPR_UNARY(do_cosh, math::cosh(a), pinnkit::cosh(a))
#undef PINNKIT_EXPR_UNARY

KOKKOS_INLINE_FUNCTION Real do_sech(Real a) { return Real(1) / math::cosh(a); }
/// sech' = -sech tanh.
template <int N>
KOKKOS_INLINE_FUNCTION Dual<N> do_sech(const Dual<N>& a) {
  const Real s = Real(1) / math::cosh(a.v);
  return a.chain(s, -s * math::tanh(a.v));
}

/// a^n by repeated squaring: exact for negative bases, same on every scalar.
KOKKOS_INLINE_FUNCTION Real do_pow_int(Real a, int n) {
  if (n < 0) return Real(1) / do_pow_int(a, -n);
  Real result = 1, base = a;
  while (n > 0) {
    if (n & 1) result *= base;
    n >>= 1;
    if (n > 0) base *= base;
  }
  return result;
}
template <int N>
KOKKOS_INLINE_FUNCTION Dual<N> do_pow_int(const Dual<N>& a, int n) {
  return pinnkit::pow(a, n);
}

KOKKOS_INLINE_FUNCTION Real do_pow(Real a, Real b) { return math::pow(a, b); }
/// An exponent without tangents (e.g. built from inputs only) keeps negative
/// bases legal; exp(b log a) only where the exponent really varies.
template <int N>
KOKKOS_INLINE_FUNCTION Dual<N> do_pow(const Dual<N>& a, const Dual<N>& b) {
  bool varies = false;
  for (int i = 0; i < N; ++i) varies = varies || b.d[i] != Real(0);
  return varies ? pinnkit::pow(a, b) : pinnkit::pow(a, b.v);
}

/// Runs `code` (size instructions). `input(k)` returns coordinate k as Real,
/// `read(k)` jet entry k as T. Host and device.
template <class T, class Input, class ReadEntry>
KOKKOS_INLINE_FUNCTION T run(const ExprInstr* code, int size, const Real* constants,
                             const Input& input, const ReadEntry& read) {
  T stack[expr_max_stack];
  int top = -1;  // index of the top element
  for (int i = 0; i < size; ++i) {
    const ExprInstr in = code[i];
    switch (in.op) {
      case ExprOp::constant: stack[++top] = T(constants[in.arg]); break;
      case ExprOp::input: stack[++top] = T(input(in.arg)); break;
      case ExprOp::read: stack[++top] = read(in.arg); break;
      case ExprOp::neg: stack[top] = -stack[top]; break;
      case ExprOp::add:
        stack[top - 1] += stack[top];
        --top;
        break;
      case ExprOp::sub:
        stack[top - 1] -= stack[top];
        --top;
        break;
      case ExprOp::mul:
        stack[top - 1] *= stack[top];
        --top;
        break;
      case ExprOp::div:
        stack[top - 1] /= stack[top];
        --top;
        break;
      case ExprOp::pow:
        stack[top - 1] = do_pow(stack[top - 1], stack[top]);
        --top;
        break;
      case ExprOp::pow_int: stack[top] = do_pow_int(stack[top], in.arg); break;
      case ExprOp::sin: stack[top] = do_sin(stack[top]); break;
      case ExprOp::cos: stack[top] = do_cos(stack[top]); break;
      case ExprOp::tan: stack[top] = do_tan(stack[top]); break;
      case ExprOp::exp: stack[top] = do_exp(stack[top]); break;
      case ExprOp::log: stack[top] = do_log(stack[top]); break;
      case ExprOp::sqrt: stack[top] = do_sqrt(stack[top]); break;
      case ExprOp::abs: stack[top] = do_abs(stack[top]); break;
      case ExprOp::tanh: stack[top] = do_tanh(stack[top]); break;
      case ExprOp::sinh: stack[top] = do_sinh(stack[top]); break;
      case ExprOp::cosh: stack[top] = do_cosh(stack[top]); break;
      case ExprOp::sech: stack[top] = do_sech(stack[top]); break;
      // Comparisons look at values only: the branch taken is a smooth piece.
      case ExprOp::min:
        if (stack[top] < stack[top - 1]) stack[top - 1] = stack[top];
        --top;
        break;
      case ExprOp::max:
        if (stack[top] > stack[top - 1]) stack[top - 1] = stack[top];
        --top;
        break;
    }
  }
  return stack[0];
}

}  // namespace expr_detail

/// A program copied to MemSpace, captured by value in kernels.
struct ExprDeviceProgram {
  Kokkos::View<const ExprInstr*, MemSpace> code;
  View1<const Real> constants;
  int size = 0;

  ExprDeviceProgram() = default;
  explicit ExprDeviceProgram(const ExprProgram& program);

  template <class T, class Input, class ReadEntry>
  KOKKOS_INLINE_FUNCTION T operator()(const Input& input, const ReadEntry& read) const {
    return expr_detail::run<T>(code.data(), size, constants.data(), input, read);
  }
};

/// Host evaluation (tests, diagnostics): inputs[k] and reads[k] by column.
Real evaluate_on_host(const ExprProgram& program, const std::vector<Real>& inputs,
                      const std::vector<Real>& reads);

}  // namespace pinnkit::pde
