#include "pde/space_time.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace pinnkit::pde {

SpaceTime::SpaceTime(std::shared_ptr<const Geometry> space, std::string time_name, double t0, double t1)
    : space_(std::move(space)), t0_(t0), t1_(t1) {
  PINNKIT_CHECK(space_ != nullptr, "space-time needs a spatial geometry");
  PINNKIT_CHECK(t0 < t1 && std::isfinite(t0) && std::isfinite(t1), "time interval must have t0 < t1");
  names_ = space_->names();
  PINNKIT_CHECK(std::find(names_.begin(), names_.end(), time_name) == names_.end(),
                "time name repeats a spatial input name");
  names_.push_back(std::move(time_name));
  lower_ = space_->lower();
  lower_.push_back(t0);
  upper_ = space_->upper();
  upper_.push_back(t1);
}

std::vector<double> SpaceTime::part_measures() const {
  auto m = space_->part_measures();
  for (double& v : m) v *= t1_ - t0_;
  return m;
}

bool SpaceTime::inside(const double* x) const {
  const double t = x[space_->dim()];
  return t >= t0_ && t <= t1_ && space_->contains(x);
}

BoundaryPoints SpaceTime::map_boundary(const std::vector<double>& unit) const {
  const int ds = space_->dim(), d = ds + 1;
  const std::size_t n = unit.size() / d;
  std::vector<double> spatial_unit(n * ds);
  for (std::size_t i = 0; i < n; ++i)
    std::copy(&unit[i * d], &unit[i * d] + ds, &spatial_unit[i * ds]);
  const BoundaryPoints s = space_->map_boundary(spatial_unit);
  BoundaryPoints b;
  b.points.resize(n * d);
  b.normals.resize(n * d);
  b.part = s.part;
  for (std::size_t i = 0; i < n; ++i) {
    for (int a = 0; a < ds; ++a) {
      b.points[i * d + a] = s.points[i * ds + a];
      b.normals[i * d + a] = s.normals[i * ds + a];
    }
    b.points[i * d + ds] = t0_ + unit[i * d + ds] * (t1_ - t0_);
    b.normals[i * d + ds] = 0;
  }
  return b;
}

std::vector<double> SpaceTime::sample_initial(int n, const UnitSource& source) const {
  const int ds = space_->dim(), d = ds + 1;
  UnitSource spatial_source{[&](int m) {
    const auto unit = source.next(m);
    const std::size_t got = unit.size() / d;
    std::vector<double> out(got * ds);
    for (std::size_t i = 0; i < got; ++i) std::copy(&unit[i * d], &unit[i * d] + ds, &out[i * ds]);
    return out;
  }, source.fixed};
  const auto x = space_->sample_interior(n, spatial_source);
  const std::size_t count = x.size() / ds;
  std::vector<double> out(count * d);
  for (std::size_t i = 0; i < count; ++i) {
    std::copy(&x[i * ds], &x[i * ds] + ds, &out[i * d]);
    out[i * d + ds] = t0_;
  }
  return out;
}

}  // namespace pinnkit::pde
