#pragma once
/// \brief An axis-aligned box in any dimension: maps points of the unit cube
/// to its interior and to its boundary (faces chosen in proportion to their
/// measure), with outward normals and named boundary parts (x_min, x_max, ...).
#include <string>
#include <vector>

namespace pinnkit::pde {

struct BoundaryPoints {
  std::vector<double> points;   ///< n x d, row-major
  std::vector<double> normals;  ///< n x d, outward unit normals
  std::vector<int> part;        ///< index into Box::part_names()
};

class Box {
 public:
  /// `names` are the input names (x, y, ...), one interval [lower, upper] each.
  Box(std::vector<std::string> names, std::vector<double> lower, std::vector<double> upper);

  int dim() const { return static_cast<int>(lower_.size()); }
  const std::vector<double>& lower() const { return lower_; }
  const std::vector<double>& upper() const { return upper_; }
  const std::vector<std::string>& names() const { return names_; }
  /// "<name>_min", "<name>_max" for every axis, in that order (2 d parts).
  const std::vector<std::string>& part_names() const { return parts_; }

  /// unit: n x d points of [0,1)^d -> n x d points of the box.
  std::vector<double> map_interior(const std::vector<double>& unit) const;
  /// unit: n x d points of [0,1)^d -> n points on the boundary. The first
  /// coordinate picks the face (by measure) and the others place the point.
  BoundaryPoints map_boundary(const std::vector<double>& unit) const;

 private:
  std::vector<std::string> names_;
  std::vector<double> lower_, upper_;
  std::vector<std::string> parts_;
  std::vector<double> face_cdf_;  ///< cumulative share of the boundary measure, per face
};

}  // namespace pinnkit::pde
