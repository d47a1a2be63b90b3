// Cutting the operands' boundary curves where they cross and keeping the
// pieces that separate the inside of the result from its outside.
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "pde/csg.hpp"

namespace pinnkit::pde {

namespace {

using Curve = Csg2d::Curve;
using Point = std::array<double, 2>;
constexpr double two_pi = 2 * 3.14159265358979323846;

double dot(const Point& a, const Point& b) { return a[0] * b[0] + a[1] * b[1]; }
Point minus(const Point& a, const Point& b) { return {a[0] - b[0], a[1] - b[1]}; }

/// Arc-length parameter of a point known to lie on (or very near) the curve.
double parameter_of(const Curve& c, const Point& x) {
  if (!c.circle) return dot(minus(x, c.origin), c.direction);
  double angle = std::atan2(x[1] - c.origin[1], x[0] - c.origin[0]);
  if (angle < 0) angle += two_pi;
  return angle * c.radius;
}

/// Points where the line origin + s direction meets the circle (centre, r).
std::vector<Point> line_circle(const Curve& line, const Point& centre, double r) {
  const Point d = minus(line.origin, centre);
  const double b = dot(line.direction, d), c = dot(d, d) - r * r;
  const double disc = b * b - c;
  if (disc < 0) return {};
  const double root = std::sqrt(disc);
  return {line.point(-b - root), line.point(-b + root)};
}

/// Points shared by two curves, plus the ends of a segment lying along another
/// segment: enough cuts that every piece between cuts is on one side of every curve.
std::vector<Point> crossings(const Curve& c, const Curve& d, double tol) {
  if (c.circle && d.circle) {
    const Point delta = minus(d.origin, c.origin);
    const double dist = std::sqrt(dot(delta, delta));
    if (dist < tol || dist > c.radius + d.radius || dist < std::abs(c.radius - d.radius)) return {};
    const double along = (dist * dist + c.radius * c.radius - d.radius * d.radius) / (2 * dist);
    const double h = std::sqrt(std::max(0.0, c.radius * c.radius - along * along));
    const Point m{c.origin[0] + along * delta[0] / dist, c.origin[1] + along * delta[1] / dist};
    return {{m[0] - h * delta[1] / dist, m[1] + h * delta[0] / dist},
            {m[0] + h * delta[1] / dist, m[1] - h * delta[0] / dist}};
  }
  if (c.circle) return line_circle(d, c.origin, c.radius);
  if (d.circle) return line_circle(c, d.origin, d.radius);
  const Point d_end = d.point(d.length);
  if (std::abs(dot(c.direction, d.direction)) > 0.5) {  // parallel: cut only where they overlap
    const bool same_line = std::abs(dot(minus(d.origin, c.origin), c.normal)) < tol;
    return same_line ? std::vector<Point>{d.origin, d_end} : std::vector<Point>{};
  }
  // Perpendicular axis-aligned segments meet at (the x of the vertical one, the y of the horizontal one).
  const Curve& vertical = c.direction[1] != 0 ? c : d;
  const Curve& horizontal = c.direction[1] != 0 ? d : c;
  return {{vertical.origin[0], horizontal.origin[1]}};
}

/// Whether x lies on the curve within tol (a cut must be on both curves).
bool on_curve(const Curve& c, const Point& x, double tol) {
  if (c.circle) {
    const Point d = minus(x, c.origin);
    return std::abs(std::sqrt(dot(d, d)) - c.radius) < tol;
  }
  const double s = dot(minus(x, c.origin), c.direction);
  return s > -tol && s < c.length + tol && std::abs(dot(minus(x, c.origin), c.normal)) < tol;
}

}  // namespace

void Csg2d::cut_and_keep_pieces() {
  const double scale = std::hypot(upper_[0] - lower_[0], upper_[1] - lower_[1]);
  const double tol = 1e-12 * scale;
  part_measure_.assign(parts_.size(), 0.0);
  double twice_area = 0;
  for (std::size_t i = 0; i < curves_.size(); ++i) {
    const Curve& c = curves_[i];
    std::vector<double> cuts{0.0, c.length};
    for (std::size_t j = 0; j < curves_.size(); ++j) {
      if (j == i) continue;
      for (const Point& x : crossings(c, curves_[j], tol))
        if (on_curve(c, x, 1e-9 * scale) && on_curve(curves_[j], x, 1e-9 * scale))
          cuts.push_back(std::clamp(parameter_of(c, x), 0.0, c.length));
    }
    std::sort(cuts.begin(), cuts.end());
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const double s0 = cuts[k], s1 = cuts[k + 1], length = s1 - s0;
      if (length <= tol) continue;
      // Look a little to either side of the middle of the piece: the step
      // stays well below the piece's length, so no other curve lies between.
      const double s = 0.5 * (s0 + s1), step = std::min(1e-7 * scale, 1e-3 * length);
      const Point x = c.point(s), n = c.normal_at(s);
      const double out[2] = {x[0] + step * n[0], x[1] + step * n[1]};
      const double in[2] = {x[0] - step * n[0], x[1] - step * n[1]};
      const bool out_inside = inside(out), in_inside = inside(in);
      if (out_inside == in_inside) continue;
      const double sign = in_inside ? 1.0 : -1.0;
      pieces_.push_back({static_cast<int>(i), s0, s1, sign});
      part_measure_[c.part] += length;
      // Divergence theorem: area = 1/2 of the boundary integral of x . n.
      if (c.circle) {
        const double a0 = s0 / c.radius, a1 = s1 / c.radius;
        twice_area += sign * c.radius *
                      (c.origin[0] * (std::sin(a1) - std::sin(a0)) - c.origin[1] * (std::cos(a1) - std::cos(a0)) +
                       c.radius * (a1 - a0));
      } else {
        twice_area += sign * dot(c.origin, c.normal) * length;
      }
    }
  }
  PINNKIT_CHECK(!pieces_.empty(), "constructive geometry has no boundary: is it empty?");
  area_ = 0.5 * twice_area;
  double total = 0;
  for (const Piece& p : pieces_) piece_cdf_.push_back(total += p.s1 - p.s0);
  for (double& v : piece_cdf_) v /= total;
}

}  // namespace pinnkit::pde
