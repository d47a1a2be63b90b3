#pragma once
/// \brief A closed ball in any dimension (a disk in 2-D): one boundary part,
/// the sphere, sampled uniformly by its surface measure.
#include <string>
#include <vector>

#include "pde/geometry.hpp"

namespace pinnkit::pde {

class Ball : public Geometry {
 public:
  /// `names` are the input names, one per coordinate of `centre`; radius > 0.
  Ball(std::vector<std::string> names, std::vector<double> centre, double radius,
       std::string part_name = "sphere");

  int dim() const override { return static_cast<int>(centre_.size()); }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<double>& lower() const override { return lower_; }
  const std::vector<double>& upper() const override { return upper_; }
  const std::vector<std::string>& part_names() const override { return parts_; }
  std::vector<double> part_measures() const override { return {sphere_measure()}; }
  double measure() const override;

  const std::vector<double>& centre() const { return centre_; }
  double radius() const { return radius_; }

  /// In 2-D the first unit coordinate is the angle over 2 pi; in d > 2 the d
  /// coordinates become Gaussians (inverse normal CDF) whose direction is
  /// uniform on the sphere; in 1-D the first coordinate picks an end.
  BoundaryPoints map_boundary(const std::vector<double>& unit) const override;

 protected:
  bool inside(const double* x) const override;

 private:
  double sphere_measure() const;

  std::vector<std::string> names_;
  std::vector<double> centre_;
  double radius_;
  std::vector<double> lower_, upper_;
  std::vector<std::string> parts_;
};

/// The disk of centre (cx, cy) and radius r over inputs x, y; its boundary part is "circle".
Ball make_disk(double cx, double cy, double r, std::vector<std::string> names = {"x", "y"});

}  // namespace pinnkit::pde
