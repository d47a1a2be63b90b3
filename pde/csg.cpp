#include "pde/csg.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace pinnkit::pde {

using Node = CsgShape::Node;
using Kind = CsgShape::Kind;

CsgShape CsgShape::rectangle(double x0, double y0, double x1, double y1) {
  PINNKIT_CHECK(x0 < x1 && y0 < y1, "rectangle needs x0 < x1 and y0 < y1");
  return CsgShape(std::make_shared<const Node>(Node{Kind::rectangle, {x0, y0, x1, y1}, nullptr, nullptr}));
}

CsgShape CsgShape::disk(double cx, double cy, double r) {
  PINNKIT_CHECK(r > 0 && std::isfinite(r), "disk radius must be positive and finite");
  return CsgShape(std::make_shared<const Node>(Node{Kind::disk, {cx, cy, r, 0}, nullptr, nullptr}));
}

CsgShape unite(const CsgShape& a, const CsgShape& b) {
  return CsgShape(std::make_shared<const Node>(Node{Kind::unite, {}, a.node_, b.node_}));
}
CsgShape intersect(const CsgShape& a, const CsgShape& b) {
  return CsgShape(std::make_shared<const Node>(Node{Kind::intersect, {}, a.node_, b.node_}));
}
CsgShape subtract(const CsgShape& a, const CsgShape& b) {
  return CsgShape(std::make_shared<const Node>(Node{Kind::subtract, {}, a.node_, b.node_}));
}

namespace {

/// Membership of the closed set (strict = false) or of its interior (strict = true).
bool member(const Node& n, double x, double y, bool strict) {
  switch (n.kind) {
    case Kind::rectangle:
      return strict ? (n.p[0] < x && x < n.p[2] && n.p[1] < y && y < n.p[3])
                    : (n.p[0] <= x && x <= n.p[2] && n.p[1] <= y && y <= n.p[3]);
    case Kind::disk: {
      const double r2 = (x - n.p[0]) * (x - n.p[0]) + (y - n.p[1]) * (y - n.p[1]);
      return strict ? r2 < n.p[2] * n.p[2] : r2 <= n.p[2] * n.p[2];
    }
    case Kind::unite: return member(*n.left, x, y, strict) || member(*n.right, x, y, strict);
    case Kind::intersect: return member(*n.left, x, y, strict) && member(*n.right, x, y, strict);
    case Kind::subtract: return member(*n.left, x, y, strict) && !member(*n.right, x, y, !strict);
  }
  return false;
}

/// A box that holds the shape: [x0, y0, x1, y1].
std::array<double, 4> bounds(const Node& n) {
  switch (n.kind) {
    case Kind::rectangle: return n.p;
    case Kind::disk: return {n.p[0] - n.p[2], n.p[1] - n.p[2], n.p[0] + n.p[2], n.p[1] + n.p[2]};
    case Kind::subtract: return bounds(*n.left);
    default: break;
  }
  const auto a = bounds(*n.left), b = bounds(*n.right);
  if (n.kind == Kind::unite)
    return {std::min(a[0], b[0]), std::min(a[1], b[1]), std::max(a[2], b[2]), std::max(a[3], b[3])};
  return {std::max(a[0], b[0]), std::max(a[1], b[1]), std::min(a[2], b[2]), std::min(a[3], b[3])};
}

}  // namespace


Csg2d::Csg2d(const CsgShape& shape, std::vector<std::string> names)
    : root_(shape.shared_node()), names_(std::move(names)) {
  PINNKIT_CHECK(names_.size() == 2, "2-D constructive geometry needs two input names");
  const auto b = bounds(*root_);
  PINNKIT_CHECK(b[0] < b[2] && b[1] < b[3], "constructive geometry has an empty bounding box");
  lower_ = {b[0], b[1]};
  upper_ = {b[2], b[3]};
  int rectangles = 0, disks = 0;
  collect_curves(*root_, rectangles, disks);
  cut_and_keep_pieces();
}

void Csg2d::collect_curves(const Node& node, int& rectangles, int& disks) {
  if (node.kind == Kind::rectangle) {
    const auto& p = node.p;
    const std::string suffix = ++rectangles == 1 ? "" : "_" + std::to_string(rectangles);
    auto edge = [&](const std::string& part, std::array<double, 2> from, std::array<double, 2> dir,
                    double length, std::array<double, 2> normal) {
      Curve c;
      c.origin = from;
      c.direction = dir;
      c.normal = normal;
      c.length = length;
      c.part = static_cast<int>(parts_.size());
      parts_.push_back(part + suffix);
      curves_.push_back(c);
    };
    edge(names_[0] + "_min", {p[0], p[1]}, {0, 1}, p[3] - p[1], {-1, 0});
    edge(names_[0] + "_max", {p[2], p[1]}, {0, 1}, p[3] - p[1], {1, 0});
    edge(names_[1] + "_min", {p[0], p[1]}, {1, 0}, p[2] - p[0], {0, -1});
    edge(names_[1] + "_max", {p[0], p[3]}, {1, 0}, p[2] - p[0], {0, 1});
  } else if (node.kind == Kind::disk) {
    Curve c;
    c.circle = true;
    c.origin = {node.p[0], node.p[1]};
    c.radius = node.p[2];
    c.length = 2 * 3.14159265358979323846 * c.radius;
    c.part = static_cast<int>(parts_.size());
    parts_.push_back("circle_" + std::to_string(++disks));
    curves_.push_back(c);
  } else {
    collect_curves(*node.left, rectangles, disks);
    collect_curves(*node.right, rectangles, disks);
  }
}

bool Csg2d::inside(const double* x) const { return member(*root_, x[0], x[1], false); }

std::array<double, 2> Csg2d::Curve::point(double s) const {
  if (!circle) return {origin[0] + s * direction[0], origin[1] + s * direction[1]};
  const double angle = s / radius;
  return {origin[0] + radius * std::cos(angle), origin[1] + radius * std::sin(angle)};
}

std::array<double, 2> Csg2d::Curve::normal_at(double s) const {
  if (!circle) return normal;
  const double angle = s / radius;
  return {std::cos(angle), std::sin(angle)};
}

BoundaryPoints Csg2d::map_boundary(const std::vector<double>& unit) const {
  const std::size_t n = unit.size() / 2;
  BoundaryPoints b;
  b.points.resize(2 * n);
  b.normals.resize(2 * n);
  b.part.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double within = 0;
    const Piece& piece = pieces_[pick_slot(piece_cdf_, unit[2 * i], within)];
    const Curve& c = curves_[piece.curve];
    const double s = piece.s0 + within * (piece.s1 - piece.s0);
    const auto x = c.point(s);
    const auto nrm = c.normal_at(s);
    for (int a = 0; a < 2; ++a) {
      b.points[2 * i + a] = x[a];
      b.normals[2 * i + a] = piece.sign * nrm[a];
    }
    b.part[i] = c.part;
  }
  return b;
}

Csg2d pinnacle_poisson2d_c_domain() {
  CsgShape shape = CsgShape::rectangle(-0.5, -0.5, 0.5, 0.5);
  for (const auto& c : {std::array<double, 2>{-0.3, -0.3}, {0.3, -0.3}, {-0.3, 0.3}, {0.3, 0.3}})
    shape = subtract(shape, CsgShape::disk(c[0], c[1], 0.1));
  return Csg2d(shape);
}

}  // namespace pinnkit::pde
