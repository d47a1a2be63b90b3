#pragma once
/// \brief A spatial geometry times a time interval [t0, t1], time the last
/// input: interior = interior x (t0, t1), boundary = spatial boundary x time
/// (parts keep their spatial names), and the initial set = interior at t0.
#include <memory>
#include <string>
#include <vector>

#include "pde/geometry.hpp"

namespace pinnkit::pde {

class SpaceTime : public Geometry {
 public:
  /// t0 < t1; `time_name` must differ from the spatial input names.
  SpaceTime(std::shared_ptr<const Geometry> space, std::string time_name, double t0, double t1);

  int dim() const override { return space_->dim() + 1; }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<double>& lower() const override { return lower_; }
  const std::vector<double>& upper() const override { return upper_; }
  const std::vector<std::string>& part_names() const override { return space_->part_names(); }
  /// Spatial part measures times the duration.
  std::vector<double> part_measures() const override;
  double measure() const override { return space_->measure() * (t1_ - t0_); }

  const Geometry& space() const { return *space_; }
  double t0() const { return t0_; }
  double t1() const { return t1_; }

  // sample_interior is the inherited rejection over the bounding box: a
  // point is inside exactly when its spatial part is.
  /// unit: n x dim(); the spatial coordinates go to the spatial boundary, the last sets t.
  BoundaryPoints map_boundary(const std::vector<double>& unit) const override;
  /// n x dim() points (x, t0), x spread over the spatial interior. The source
  /// yields dim() coordinates per point; the time coordinate is not used.
  std::vector<double> sample_initial(int n, const UnitSource& source) const;

 protected:
  bool inside(const double* x) const override;

 private:
  std::shared_ptr<const Geometry> space_;
  double t0_, t1_;
  std::vector<std::string> names_;
  std::vector<double> lower_, upper_;
};

}  // namespace pinnkit::pde
