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
  /// evaluate().rel_l2 alone (NaN without a reference), for the trainer's
  /// evaluations every evaluation.every steps: the squared errors are summed
  /// on the device, one value per chunk, and only those sums come back to
  /// the host (no predictions, points or reference copied). Equal to
  /// evaluate().rel_l2 up to the order of the sums (rounding).
  double rel_l2(const ExecSpace& exec, models::Model& model) const;
  int point_count() const { return static_cast<int>(points_.extent(0)); }

 private:
  /// InputError naming problem.exact when the reference is NaN or infinite somewhere.
  void check_finite_reference(const std::string& source) const;

  /// Calls f(r0, r1, out) for consecutive rows [r0, r1) of the points, out
  /// = the model's values there ((r1 - r0), 1, outputs): the points pass
  /// through the model in cache-sized chunks (cache_chunk_points), as the
  /// training points do; one pass over a 101 x 101 grid took as long as a
  /// training step on 2400 points.
  template <class F>
  void forward_in_chunks(const ExecSpace& exec, models::Model& model, F&& f) const;

  const pde::Problem& problem_;
  View2<Real> points_;
  View2<Real> u_ref_;
  bool has_ref_ = false;
  double ref_norm2_ = 0;            ///< sum of u_ref^2, summed as evaluate() sums it
  mutable View1<double> err_sums_;  ///< rel_l2(): one sum of squared errors per chunk
};

}  // namespace pinnkit::solvers
