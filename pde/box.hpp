#pragma once
/// \brief An axis-aligned box in any dimension: maps points of the unit cube
/// to its interior and to its boundary (faces chosen in proportion to their
/// measure), with outward normals and named boundary parts (x_min, x_max, ...).
/// An interval is the 1-D box (make_interval).
#include <string>
#include <vector>

#include "pde/geometry.hpp"

namespace pinnkit::pde {

class Box : public Geometry {
 public:
  /// `names` are the input names (x, y, ...), one interval [lower, upper] each.
  Box(std::vector<std::string> names, std::vector<double> lower, std::vector<double> upper);

  int dim() const override { return static_cast<int>(lower_.size()); }
  const std::vector<double>& lower() const override { return lower_; }
  const std::vector<double>& upper() const override { return upper_; }
  const std::vector<std::string>& names() const override { return names_; }
  /// "<name>_min", "<name>_max" for every axis, in that order (2 d parts).
  const std::vector<std::string>& part_names() const override { return parts_; }
  std::vector<double> part_measures() const override { return face_measure_; }
  double measure() const override;

  /// unit: n x d points of [0,1)^d -> n x d points of the box.
  std::vector<double> map_interior(const std::vector<double>& unit) const;
  /// Every unit point maps into the box: no rejection, grids keep their count.
  std::vector<double> sample_interior(int n, const UnitSource& source) const override {
    return map_interior(source.next(n));
  }
  /// unit: n x d points of [0,1)^d -> n points on the boundary. The first
  /// coordinate picks the face (by measure) and the others place the point.
  BoundaryPoints map_boundary(const std::vector<double>& unit) const override;

 protected:
  bool inside(const double* x) const override;

 private:
  std::vector<std::string> names_;
  std::vector<double> lower_, upper_;
  std::vector<std::string> parts_;
  std::vector<double> face_measure_;  ///< per face, in part_names() order
  std::vector<double> face_cdf_;      ///< cumulative share of the boundary measure, per face
};

/// The interval [a, b] of the input `name`: parts <name>_min, <name>_max.
Box make_interval(std::string name, double a, double b);

}  // namespace pinnkit::pde
