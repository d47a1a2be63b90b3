#pragma once
/// \brief The domain of a PDE as the point samplers see it: dimension, input
/// names, bounding box, membership, interior and boundary sampling from a
/// source of unit-cube points, outward normals and named boundary parts.
///
/// Every shape turns unit points of [0,1)^dim() into domain points, so the
/// seeded samplers of solvers/unit_sampler.hpp (uniform, lhs, sobol, grid)
/// drive all shapes alike and a seed reproduces the same points.
#include <functional>
#include <string>
#include <vector>

namespace pinnkit::pde {

/// Where shapes get their unit points: next(n) gives n x dim() points of
/// [0,1)^dim(), row-major, and successive calls continue the sequence.
struct UnitSource {
  std::function<std::vector<double>(int n)> next;
  /// A fixed point set (a grid): its count may differ from n and drawing
  /// again repeats it, so rejection keeps the points inside from one draw.
  bool fixed = false;
};

struct BoundaryPoints {
  std::vector<double> points;   ///< n x d, row-major
  std::vector<double> normals;  ///< n x d, outward unit normals
  std::vector<int> part;        ///< index into Geometry::part_names()
};

class Geometry {
 public:
  virtual ~Geometry() = default;

  virtual int dim() const = 0;
  /// The input names (x, y, t, ...), one per axis.
  virtual const std::vector<std::string>& names() const = 0;
  /// Corners of the bounding box: every point of the shape lies in [lower, upper].
  virtual const std::vector<double>& lower() const = 0;
  virtual const std::vector<double>& upper() const = 0;
  /// Names of the boundary parts that BoundaryPoints::part indexes.
  virtual const std::vector<std::string>& part_names() const = 0;
  /// Measure (length, area, ...) of each boundary part, in part_names() order.
  virtual std::vector<double> part_measures() const = 0;
  /// Volume of the shape (length in 1-D, area in 2-D).
  virtual double measure() const = 0;
  /// Total boundary measure (point count in 1-D, length in 2-D, area in 3-D).
  double boundary_measure() const;

  /// Whether x (dim() coordinates) lies in the closed shape.
  bool contains(const double* x) const { return inside(x); }
  bool contains(const std::vector<double>& x) const;

  /// n x dim() points spread uniformly over the shape. The default rejects
  /// points of the bounding box outside the shape and draws more unit points
  /// until n are kept; from a fixed source (a grid) it keeps the points of
  /// one draw that are inside, however many.
  virtual std::vector<double> sample_interior(int n, const UnitSource& source) const;
  /// n points spread over the boundary in proportion to its measure.
  BoundaryPoints sample_boundary(int n, const UnitSource& source) const { return map_boundary(source.next(n)); }
  /// unit: n x dim() points of [0,1)^dim() -> n boundary points, normals and parts.
  virtual BoundaryPoints map_boundary(const std::vector<double>& unit) const = 0;

 protected:
  virtual bool inside(const double* x) const = 0;
};

/// Index of the slot of `cdf` (cumulative shares ending at 1) that u falls in,
/// and u rescaled to [0,1) within that slot, so one unit coordinate can both
/// pick a part and place the point on it.
int pick_slot(const std::vector<double>& cdf, double u, double& u_within);

}  // namespace pinnkit::pde
