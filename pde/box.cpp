#include "pde/box.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace pinnkit::pde {

Box::Box(std::vector<std::string> names, std::vector<double> lower, std::vector<double> upper)
    : names_(std::move(names)), lower_(std::move(lower)), upper_(std::move(upper)) {
  PINNKIT_CHECK(names_.size() == lower_.size() && lower_.size() == upper_.size() && !lower_.empty(),
                "box needs one name and one interval per axis");
  const int d = dim();
  for (int a = 0; a < d; ++a) {
    PINNKIT_CHECK(lower_[a] < upper_[a], "box interval must have lower < upper");
    double m = 1;  // measure of a face normal to axis a: product of the other sides
    for (int b = 0; b < d; ++b)
      if (b != a) m *= upper_[b] - lower_[b];
    for (const char* side : {"_min", "_max"}) {
      parts_.push_back(names_[a] + side);
      face_measure_.push_back(m);
    }
  }
  double total = 0;
  for (double m : face_measure_) face_cdf_.push_back(total += m);
  for (double& c : face_cdf_) c /= total;
}

double Box::measure() const {
  double v = 1;
  for (int a = 0; a < dim(); ++a) v *= upper_[a] - lower_[a];
  return v;
}

bool Box::inside(const double* x) const {
  for (int a = 0; a < dim(); ++a)
    if (!(x[a] >= lower_[a] && x[a] <= upper_[a])) return false;
  return true;
}

Box make_interval(std::string name, double a, double b) { return Box({std::move(name)}, {a}, {b}); }

std::vector<double> Box::map_interior(const std::vector<double>& unit) const {
  const int d = dim();
  std::vector<double> out(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const int a = static_cast<int>(i % d);
    out[i] = lower_[a] + unit[i] * (upper_[a] - lower_[a]);
  }
  return out;
}

BoundaryPoints Box::map_boundary(const std::vector<double>& unit) const {
  const int d = dim();
  const std::size_t n = unit.size() / d;
  BoundaryPoints b;
  b.points.resize(n * d);
  b.normals.assign(n * d, 0.0);
  b.part.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* u = &unit[i * d];
    const int face = static_cast<int>(std::upper_bound(face_cdf_.begin(), face_cdf_.end(), u[0]) -
                                      face_cdf_.begin());
    const int f = std::min(face, static_cast<int>(face_cdf_.size()) - 1);
    const int axis = f / 2;
    const bool is_max = f % 2 == 1;
    // Coordinates other than `axis` come from u[1..d-1]; in 1-D a face is a point.
    for (int a = 0, k = 1; a < d; ++a) {
      if (a == axis) {
        b.points[i * d + a] = is_max ? upper_[a] : lower_[a];
      } else {
        b.points[i * d + a] = lower_[a] + u[k++] * (upper_[a] - lower_[a]);
      }
    }
    b.normals[i * d + axis] = is_max ? 1.0 : -1.0;
    b.part[i] = f;
  }
  return b;
}

}  // namespace pinnkit::pde
