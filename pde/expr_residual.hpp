#pragma once
/// \brief Residuals and fields written as expressions (docs/expressions.md).
///
/// ExprResidual: a loss-term residual such as "u_t + u*u_x - nu*u_xx"; one
/// dual-number evaluation per point gives r and dr/d(read), the seeds of the
/// reverse pass. ExprField: a function of the inputs only (source terms,
/// boundary and initial values, exact solutions).
#include <string>
#include <vector>

#include "pde/expr_compile.hpp"

namespace pinnkit::pde {

/// Most distinct jet entries and unknowns one residual may read (the dual's tangent bound).
inline constexpr int expr_max_reads = 16;

class ExprResidual : public Residual {
 public:
  /// Throws InputError (with `source.context`) for any error in the
  /// expression or the symbols, or more than expr_max_reads distinct reads.
  ExprResidual(const ExprSource& source, const ExprSymbols& symbols);

  /// Distinct reads in canonical order (see compile_expression).
  const std::vector<Read>& reads() const override { return program_.reads; }
  /// The unknowns it reads (indices into ExprSymbols::unknowns).
  const std::vector<int>& unknowns() const override { return program_.unknowns; }
  /// points: N x inputs; values: N x columns(); writes r (N) and dr (N x columns()). MemSpace.
  void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                View1<Real> r, View2<Real> dr) const override;

  const ExprProgram& program() const { return program_; }
  const std::string& expression() const { return text_; }

  /// Launches the kernel: public for CUDA (nvcc allows no device lambda in a
  /// private or protected member function). Not for callers.
  template <int N>
  void evaluate_with(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                     View1<Real> r, View2<Real> dr) const;

 private:
  std::string text_;
  int input_dim_ = 0;
  ExprProgram program_;
  ExprDeviceProgram device_;
};

class ExprField {
 public:
  /// An expression of `inputs` and `parameters` only (outputs are unknown
  /// names here). Throws InputError like compile_expression.
  ExprField(const ExprSource& source, const std::vector<std::string>& inputs,
            const std::map<std::string, double>& parameters = {});

  /// out(n) = f(points(n, :)); points N x inputs. MemSpace.
  void evaluate_field(const ExecSpace& exec, View2<const Real> points, View1<Real> out) const;
  /// out(n, column) = f(points(n, :)), e.g. one output of an exact solution.
  void evaluate_field(const ExecSpace& exec, View2<const Real> points, View2<Real> out,
                      int column) const;

  const ExprProgram& program() const { return program_; }
  const std::string& expression() const { return text_; }

 private:
  std::string text_;
  int input_dim_ = 0;
  ExprProgram program_;
  ExprDeviceProgram device_;
};

}  // namespace pinnkit::pde
