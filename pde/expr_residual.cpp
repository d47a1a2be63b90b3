#include "pde/expr_residual.hpp"

#include "core/error.hpp"

namespace pinnkit::pde {

ExprResidual::ExprResidual(const ExprSource& source, const ExprSymbols& symbols)
    : text_(source.text),
      input_dim_(static_cast<int>(symbols.inputs.size())),
      program_(compile_expression(source, symbols)) {
  const int reads = static_cast<int>(program_.reads.size() + program_.unknowns.size());
  if (program_.reads.empty())
    throw InputError(input_message(source.context, "",
                                   "expected a residual that reads an output (" + source.text +
                                       " does not depend on the network)"));
  if (reads > expr_max_reads)
    throw InputError(input_message(source.context, "",
                                   "expected at most " + std::to_string(expr_max_reads) +
                                       " distinct outputs and derivatives in one residual, got " +
                                       std::to_string(reads) +
                                       (program_.unknowns.empty() ? "" : " (unknowns count as well)")));
  device_ = ExprDeviceProgram(program_);
}

// The tangent count is a compile-time bound: the smallest of 1, 2, 4, 8, 16
// that holds the reads, so a two-read residual does not carry 16 tangents.
template <int N>
void ExprResidual::evaluate_with(const ExecSpace& exec, View2<const Real> points,
                                 View2<const Real> values, View1<Real> r, View2<Real> dr) const {
  const ExprDeviceProgram program = device_;
  const int reads = columns();
  Kokkos::parallel_for(
      "pinnkit::pde::ExprResidual::evaluate",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)), KOKKOS_LAMBDA(int n) {
        auto input = [&](int k) { return points(n, k); };
        auto read = [&](int k) { return Dual<N>::variable(values(n, k), k); };
        const Dual<N> result = program.template operator()<Dual<N>>(input, read);
        r(n) = result.v;
        for (int k = 0; k < reads; ++k) dr(n, k) = result.d[k];
      });
}

void ExprResidual::evaluate(const ExecSpace& exec, View2<const Real> points,
                            View2<const Real> values, View1<Real> r, View2<Real> dr) const {
  const std::size_t n = points.extent(0), reads = static_cast<std::size_t>(columns());
  PINNKIT_CHECK(points.extent(1) == static_cast<std::size_t>(input_dim_),
                "ExprResidual: points must have one column per input");
  PINNKIT_CHECK(values.extent(0) == n && values.extent(1) == reads && r.extent(0) == n &&
                    dr.extent(0) == n && dr.extent(1) == reads,
                "ExprResidual: values/r/dr shapes must match points and columns()");
  if (reads <= 1)
    evaluate_with<1>(exec, points, values, r, dr);
  else if (reads <= 2)
    evaluate_with<2>(exec, points, values, r, dr);
  else if (reads <= 4)
    evaluate_with<4>(exec, points, values, r, dr);
  else if (reads <= 8)
    evaluate_with<8>(exec, points, values, r, dr);
  else
    evaluate_with<expr_max_reads>(exec, points, values, r, dr);
}

ExprField::ExprField(const ExprSource& source, const std::vector<std::string>& inputs,
                     const std::map<std::string, double>& parameters)
    : text_(source.text),
      input_dim_(static_cast<int>(inputs.size())),
      program_(compile_expression(source, ExprSymbols{inputs, {}, parameters, {}})),
      device_(program_) {
  PINNKIT_CHECK(program_.reads.empty(), "ExprField: a field reads no outputs");
}

void ExprField::evaluate_field(const ExecSpace& exec, View2<const Real> points,
                               View1<Real> out) const {
  PINNKIT_CHECK(out.extent(0) == points.extent(0), "ExprField: out must have one entry per point");
  // The same storage seen as an N x 1 matrix: column 0 of the general case.
  evaluate_field(exec, points, View2<Real>(out.data(), out.extent(0), 1), 0);
}

void ExprField::evaluate_field(const ExecSpace& exec, View2<const Real> points, View2<Real> out,
                               int column) const {
  PINNKIT_CHECK(points.extent(1) == static_cast<std::size_t>(input_dim_) &&
                    out.extent(0) == points.extent(0) && column >= 0 &&
                    static_cast<std::size_t>(column) < out.extent(1),
                "ExprField: points must be N x inputs and out N x (> column)");
  const ExprDeviceProgram program = device_;
  Kokkos::parallel_for(
      "pinnkit::pde::ExprField::evaluate",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)), KOKKOS_LAMBDA(int n) {
        auto input = [&](int k) { return points(n, k); };
        auto no_read = [](int) { return Real(0); };
        out(n, column) = program.template operator()<Real>(input, no_read);
      });
}

}  // namespace pinnkit::pde
