#include "pde/geometry_ball.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <cmath>

#include "core/error.hpp"

namespace pinnkit::pde {

namespace {

constexpr double pi = 3.14159265358979323846;

/// Volume of the unit ball in d dimensions: pi^(d/2) / Gamma(d/2 + 1).
double unit_ball_volume(int d) { return std::pow(pi, 0.5 * d) / std::tgamma(0.5 * d + 1); }

/// Standard normal quantile; u is kept off 0 and 1 so the result is finite.
double normal_quantile(double u) {
  const double v = std::clamp(2 * u - 1, -1 + 1e-16, 1 - 1e-16);
  return std::sqrt(2.0) * boost::math::erf_inv(v);
}

}  // namespace

Ball::Ball(std::vector<std::string> names, std::vector<double> centre, double radius, std::string part_name)
    : names_(std::move(names)), centre_(std::move(centre)), radius_(radius), parts_{std::move(part_name)} {
  PINNKIT_CHECK(!centre_.empty() && names_.size() == centre_.size(), "ball needs one name per coordinate");
  PINNKIT_CHECK(radius_ > 0 && std::isfinite(radius_), "ball radius must be positive and finite");
  for (double c : centre_) {
    lower_.push_back(c - radius_);
    upper_.push_back(c + radius_);
  }
}

double Ball::measure() const { return unit_ball_volume(dim()) * std::pow(radius_, dim()); }

double Ball::sphere_measure() const {
  // Surface of the unit sphere is d times the volume of the unit ball (2 points in 1-D).
  const int d = dim();
  return d * unit_ball_volume(d) * std::pow(radius_, d - 1);
}

bool Ball::inside(const double* x) const {
  double r2 = 0;
  for (int a = 0; a < dim(); ++a) r2 += (x[a] - centre_[a]) * (x[a] - centre_[a]);
  return r2 <= radius_ * radius_;
}

BoundaryPoints Ball::map_boundary(const std::vector<double>& unit) const {
  const int d = dim();
  const std::size_t n = unit.size() / d;
  BoundaryPoints b;
  b.points.resize(n * d);
  b.normals.resize(n * d);
  b.part.assign(n, 0);
  std::vector<double> g(d);
  for (std::size_t i = 0; i < n; ++i) {
    const double* u = &unit[i * d];
    if (d == 1) {
      g[0] = u[0] < 0.5 ? -1.0 : 1.0;
    } else if (d == 2) {
      const double angle = 2 * pi * u[0];
      g[0] = std::cos(angle);
      g[1] = std::sin(angle);
    } else {
      double norm2 = 0;
      for (int a = 0; a < d; ++a) norm2 += (g[a] = normal_quantile(u[a])) * g[a];
      const double norm = std::sqrt(norm2);
      if (norm > 0) {
        for (int a = 0; a < d; ++a) g[a] /= norm;
      } else {  // all coordinates at one half: any direction is as good
        std::fill(g.begin(), g.end(), 0.0);
        g[0] = 1;
      }
    }
    for (int a = 0; a < d; ++a) {
      b.normals[i * d + a] = g[a];
      b.points[i * d + a] = centre_[a] + radius_ * g[a];
    }
  }
  return b;
}

Ball make_disk(double cx, double cy, double r, std::vector<std::string> names) {
  return Ball(std::move(names), {cx, cy}, r, "circle");
}

}  // namespace pinnkit::pde
