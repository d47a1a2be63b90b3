#pragma once
/// \brief A problem written in the config (`pde: custom`): inputs and their
/// intervals, outputs, equations and conditions as expressions
/// (docs/expressions.md), and an optional exact solution.
///
/// The domain is the box of the spatial inputs; an input named `t` makes it
/// a space-time domain (t must then be the last input). Conditions become
/// residuals: dirichlet `u - g`, neumann `du/dn - g`, robin
/// `alpha u + beta du/dn - g` (one term per box face, whose outward normal is
/// an axis), initial `u - g` and initial_rate `u_t - g` at the start time,
/// periodic (on: [x_min, x_max]) two paired terms u(a) - u(b) and
/// u_x(a) - u_x(b) between the faces (LossTerm::periodic). The exact
/// solution is one expression per output. An operator condition holds any
/// expression of the outputs and their derivatives at `value` on its parts.
///
/// Inverse problems (docs/custom_pde.md): unknowns are read in the equations
/// and conditions like parameters (an unknown replaces a parameter of the
/// same name there; the exact solution keeps the parameter); observations
/// become one `data` term per observed output, u_o(x_n) - y_n at the fixed
/// observation points.
#include <memory>
#include <string>
#include <vector>

#include "pde/expr_residual.hpp"
#include "pde/inverse.hpp"
#include "pde/problem.hpp"

namespace pinnkit::pde {

class CustomProblem : public Problem {
 public:
  /// `source` (the config file) prefixes error messages.
  CustomProblem(const ProblemSpec& spec, const std::string& source);
  const Geometry& domain() const override { return *domain_; }
  std::vector<std::string> output_names() const override { return outputs_; }
  const std::vector<LossTerm>& terms() const override { return terms_; }
  bool has_exact() const override { return !exact_.empty(); }
  void exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const override;
  const std::vector<Unknown>& unknowns() const override { return unknowns_; }
  const Observations* observations() const override {
    return observations_.count() > 0 ? &observations_ : nullptr;
  }

 private:
  void add_condition(const ConditionSpec& c, const std::string& key, const std::string& source);
  void add_periodic(const std::string& output, const ConditionSpec& c, const std::string& key,
                    const std::string& source);
  void add_observations(const ProblemSpec& spec, const std::string& source);
  /// InputError for an unknown that no term reads (it would never be learned).
  void check_unknowns_used(const std::string& source) const;

  std::vector<std::string> inputs_, outputs_;
  std::vector<Unknown> unknowns_;
  Observations observations_;
  std::shared_ptr<const Geometry> domain_;
  ExprSymbols symbols_;
  std::vector<LossTerm> terms_;
  std::vector<std::unique_ptr<ExprField>> exact_;  ///< one per output, or none
};

}  // namespace pinnkit::pde
