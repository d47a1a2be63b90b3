#pragma once
/// \brief Error of the trained network against the problem's reference on a
/// fixed set of evaluation points: relative L2 = ||u - u_ref|| / ||u_ref||
/// over all points and outputs, and the max abs error.
///
/// Which points and which reference (`evaluation.points`):
/// - `reference`: the problem's reference data points and values when it has
///   reference data (pde::Problem::reference_data()); else the grid with the
///   exact solution; else the grid without a reference (predictions only).
/// - `grid`: the grid with the exact solution; without an exact solution the
///   grid has no reference, and when the problem's reference is data at fixed
///   points the config is rejected (data are not interpolated onto a grid).
#include <string>
#include <vector>

#include "models/model.hpp"
#include "pde/problem.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

struct Evaluation {
  int points = 0, inputs = 0, outputs = 0;
  std::vector<double> x;       ///< points x inputs
  std::vector<double> u_pred;  ///< points x outputs
  std::vector<double> u_ref;   ///< points x outputs; empty without a reference
  double rel_l2 = 0, max_abs_err = 0;
  bool has_reference() const { return !u_ref.empty(); }
};

class Evaluator {
 public:
  /// Points and reference as in the file brief; `source` (the config file)
  /// prefixes the InputError of a `grid` request on a data-only reference.
  Evaluator(const pde::Problem& problem, const EvaluationSpec& spec, const std::string& source = "config");
  /// Runs the model on the evaluation points and compares with the reference.
  Evaluation evaluate(const ExecSpace& exec, models::Model& model) const;
  int point_count() const { return static_cast<int>(points_.extent(0)); }

 private:
  /// InputError naming problem.exact when the reference is NaN or infinite somewhere.
  void check_finite_reference(const std::string& source) const;

  const pde::Problem& problem_;
  View2<Real> points_;
  View2<Real> u_ref_;
  bool has_ref_ = false;
};

}  // namespace pinnkit::solvers
