#include "pde/poisson.hpp"

#include <cmath>

#include "core/math.hpp"

namespace pinnkit::pde {

namespace {

std::vector<std::string> axis_names(int dim) {
  const std::vector<std::string> all{"x", "y", "z"};
  return {all.begin(), all.begin() + dim};
}

/// prod_i sin(a pi x_i) at row n of `points`.
KOKKOS_INLINE_FUNCTION Real sine_product(View2<const Real> points, int n, Real api) {
  Real p = 1;
  for (int i = 0; i < static_cast<int>(points.extent(1)); ++i) p *= math::sin(api * points(n, i));
  return p;
}

/// r = -Lap u - d (a pi)^2 prod sin(a pi x_i); linear, so dr = -1. The
/// Laplacian is one read: the jets carry it in one channel.
class PoissonResidual : public Residual {
 public:
  PoissonResidual(int dim, double a) : dim_(dim), a_(a) {
    std::vector<int> axes;
    for (int i = 0; i < dim; ++i) axes.push_back(i);
    reads_.push_back(Read::laplacian_of(0, dim, axes));
  }
  const std::vector<Read>& reads() const override { return reads_; }
  void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                View1<Real> r, View2<Real> dr) const override {
    const Real api = a_ * M_PI, source_scale = dim_ * api * api;
    Kokkos::parallel_for(
        "pinnkit::pde::Poisson::residual", Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)),
        KOKKOS_LAMBDA(int n) {
          dr(n, 0) = -1;
          r(n) = -values(n, 0) - source_scale * sine_product(points, n, api);
        });
  }

 private:
  int dim_;
  double a_;
  std::vector<Read> reads_;
};

/// r = u - prod_i sin(a pi x_i) on the boundary: zero for integer a, and the
/// exact solution's trace for any other a.
class ExactDirichlet : public Residual {
 public:
  ExactDirichlet(int dim, double a) : a_(a), reads_{{0, MultiIndex(dim, 0)}} {}
  const std::vector<Read>& reads() const override { return reads_; }
  void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                View1<Real> r, View2<Real> dr) const override {
    const Real api = a_ * M_PI;
    Kokkos::parallel_for(
        "pinnkit::pde::Poisson::boundary_residual",
        Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)), KOKKOS_LAMBDA(int n) {
          r(n) = values(n, 0) - sine_product(points, n, api);
          dr(n, 0) = 1;
        });
  }

 private:
  double a_;
  std::vector<Read> reads_;
};

}  // namespace

Poisson::Poisson(int dim, double a)
    : box_(axis_names(dim), std::vector<double>(dim, -1.0), std::vector<double>(dim, 1.0)), a_(a) {
  terms_.push_back({"pde", PointSet::interior, std::make_shared<PoissonResidual>(dim, a), {}});
  terms_.push_back({"boundary", PointSet::boundary, std::make_shared<ExactDirichlet>(dim, a), {}});
}

void Poisson::exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const {
  const Real api = a_ * M_PI;
  Kokkos::parallel_for(
      "pinnkit::pde::Poisson::exact", Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)),
      KOKKOS_LAMBDA(int n) { u(n, 0) = sine_product(points, n, api); });
}

}  // namespace pinnkit::pde
