#pragma once
/// \brief A problem plus reference data: forwards everything to the inner
/// problem (domain, outputs, loss terms, exact solution) and adds the data.
///
/// Catalog families whose reference is a data file or a generator build
/// their equations as a CustomProblem and wrap it in this decorator.
#include <memory>

#include "pde/problem.hpp"

namespace pinnkit::pde {

class ProblemWithReference : public Problem {
 public:
  /// reference.inputs / outputs must match the inner problem's (checked).
  ProblemWithReference(std::unique_ptr<Problem> inner, ReferenceData reference);
  const Geometry& domain() const override { return inner_->domain(); }
  std::vector<std::string> output_names() const override { return inner_->output_names(); }
  const std::vector<LossTerm>& terms() const override { return inner_->terms(); }
  bool has_exact() const override { return inner_->has_exact(); }
  void exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const override {
    inner_->exact(exec, points, u);
  }
  const ReferenceData* reference_data() const override { return &reference_; }
  const std::vector<Unknown>& unknowns() const override { return inner_->unknowns(); }
  const Observations* observations() const override { return inner_->observations(); }

 private:
  std::unique_ptr<Problem> inner_;
  ReferenceData reference_;
};

}  // namespace pinnkit::pde
