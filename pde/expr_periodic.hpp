#pragma once
/// \brief The residual of a periodic condition: one per-point residual R
/// (e.g. `u` or `u_x`) taken at a point a on the lower face of an axis and at
/// its image b on the upper face (same other coordinates), penalised as
/// R(a) - R(b).
///
/// The pairing is the objective's job (solvers/objective.cpp recognises this
/// type): it draws the points a on the term's part (the lower face), builds
/// b by moving coordinate `axis()` to `upper()`, evaluates both in one batch
/// and seeds the reverse pass of a with +dR(a) and of b with -dR(b).
/// `evaluate` itself is the per-point R, unpaired.
#include <memory>

#include "pde/problem.hpp"

namespace pinnkit::pde {

class PeriodicPairResidual : public Residual {
 public:
  /// `per_point` is R; axis indexes the domain's inputs; lower < upper are
  /// the two faces' coordinates.
  PeriodicPairResidual(std::shared_ptr<const Residual> per_point, int axis, double lower, double upper)
      : per_point_(std::move(per_point)), axis_(axis), lower_(lower), upper_(upper) {}

  const std::vector<Read>& reads() const override { return per_point_->reads(); }
  /// R at every point (no pairing), as the wrapped residual computes it.
  void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values, View1<Real> r,
                View2<Real> dr) const override {
    per_point_->evaluate(exec, points, values, r, dr);
  }

  int axis() const { return axis_; }
  double lower() const { return lower_; }
  double upper() const { return upper_; }

 private:
  std::shared_ptr<const Residual> per_point_;
  int axis_;
  double lower_, upper_;
};

}  // namespace pinnkit::pde
