#pragma once
/// \brief 2-D constructive geometry: rectangles and disks combined by union,
/// intersection and difference, as a Geometry with exact boundary sampling.
///
/// The boundary of the result is made of pieces of the operands' boundaries:
/// each rectangle edge and each circle is cut where it crosses the others,
/// and a piece is kept when one side of it is inside the result and the other
/// outside (its normal flipped when the inside is on the operand's outer side,
/// as for a hole). Kept lengths, part measures and the area (by the divergence
/// theorem) are therefore exact, and boundary points are drawn along the kept
/// pieces in proportion to length with one unit coordinate, with no rejection.
/// Boundaries that overlap along a stretch (two rectangles sharing an edge)
/// are not supported: such a stretch would count twice.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "pde/geometry.hpp"

namespace pinnkit::pde {

/// An expression of rectangles and disks; cheap to copy (shared nodes).
class CsgShape {
 public:
  enum class Kind { rectangle, disk, unite, intersect, subtract };
  struct Node {
    Kind kind;
    std::array<double, 4> p{};  ///< rectangle x0, y0, x1, y1; disk cx, cy, r
    std::shared_ptr<const Node> left, right;
  };

  /// [x0, x1] x [y0, y1] with x0 < x1, y0 < y1.
  static CsgShape rectangle(double x0, double y0, double x1, double y1);
  /// Centre (cx, cy), radius r > 0.
  static CsgShape disk(double cx, double cy, double r);

  const Node& node() const { return *node_; }
  std::shared_ptr<const Node> shared_node() const { return node_; }

 private:
  friend CsgShape unite(const CsgShape& a, const CsgShape& b);
  friend CsgShape intersect(const CsgShape& a, const CsgShape& b);
  friend CsgShape subtract(const CsgShape& a, const CsgShape& b);
  explicit CsgShape(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

CsgShape unite(const CsgShape& a, const CsgShape& b);
CsgShape intersect(const CsgShape& a, const CsgShape& b);
/// a \ b.
CsgShape subtract(const CsgShape& a, const CsgShape& b);

class Csg2d : public Geometry {
 public:
  /// Boundary parts, in order of appearance in the expression: x_min, x_max,
  /// y_min, y_max for the first rectangle (x_min_2, ... for the second, and
  /// so on), circle_1, circle_2, ... for the disks. A part that no piece of
  /// the result's boundary belongs to keeps its name and has measure 0.
  explicit Csg2d(const CsgShape& shape, std::vector<std::string> names = {"x", "y"});

  int dim() const override { return 2; }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<double>& lower() const override { return lower_; }
  const std::vector<double>& upper() const override { return upper_; }
  const std::vector<std::string>& part_names() const override { return parts_; }
  std::vector<double> part_measures() const override { return part_measure_; }
  double measure() const override { return area_; }

  /// The first unit coordinate picks the place along the kept boundary
  /// (arc length over total length); the second is not used.
  BoundaryPoints map_boundary(const std::vector<double>& unit) const override;

  /// A primitive's boundary curve: an axis-aligned segment or a full circle,
  /// parametrised by arc length s in [0, length].
  struct Curve {
    bool circle = false;
    std::array<double, 2> origin{};     ///< segment start, or circle centre
    std::array<double, 2> direction{};  ///< segment unit tangent
    std::array<double, 2> normal{};     ///< segment outward normal
    double radius = 0, length = 0;
    int part = 0;
    std::array<double, 2> point(double s) const;
    std::array<double, 2> normal_at(double s) const;
  };
  /// A kept stretch [s0, s1] of a curve; sign -1 when its normal is flipped.
  struct Piece {
    int curve;
    double s0, s1;
    double sign;
  };

 protected:
  bool inside(const double* x) const override;

 private:
  void collect_curves(const CsgShape::Node& node, int& rectangles, int& disks);
  void cut_and_keep_pieces();  ///< csg_boundary.cpp
  std::shared_ptr<const CsgShape::Node> root_;
  std::vector<std::string> names_, parts_;
  std::vector<double> lower_, upper_;
  std::vector<Curve> curves_;
  std::vector<Piece> pieces_;
  std::vector<double> piece_cdf_, part_measure_;
  double area_ = 0;
};

/// PINNacle Poisson2d-C: [-0.5, 0.5]^2 minus the disks of radius 0.1 centred
/// at (-0.3, -0.3), (0.3, -0.3), (-0.3, 0.3), (0.3, 0.3) (circle_1..circle_4).
Csg2d pinnacle_poisson2d_c_domain();

}  // namespace pinnkit::pde
