#pragma once
/// \brief How a trainable coefficient's stored parameter theta maps to the
/// value v the equations read (problem.unknowns, docs/custom_pde.md).
///
/// Bounds are kept by the map, not by clipping after a step: v = lo + (hi -
/// lo) sigmoid(theta) stays inside (lo, hi) for every theta, needs no hook in
/// the optimizers and keeps the gradient exact (dv/dtheta below).
/// `log`: the same in log v (v = exp(theta) without bounds), for
/// coefficients whose scale is unknown; lo must then be positive.
#include <cmath>

#include "core/kokkos.hpp"
#include "core/math.hpp"

namespace pinnkit::pde {

struct UnknownMap {
  bool bounded = false;
  bool log = false;
  double lo = 0, hi = 0;  ///< when bounded

  /// v(theta).
  KOKKOS_INLINE_FUNCTION double value(double theta) const {
    if (!bounded) return log ? math::exp(theta) : theta;
    const double s = 1.0 / (1.0 + math::exp(-theta));
    if (!log) return lo + (hi - lo) * s;
    const double a = math::log(lo), b = math::log(hi);
    return math::exp(a + (b - a) * s);
  }
  /// dv/dtheta.
  KOKKOS_INLINE_FUNCTION double derivative(double theta) const {
    if (!bounded) return log ? math::exp(theta) : 1.0;
    const double s = 1.0 / (1.0 + math::exp(-theta));
    if (!log) return (hi - lo) * s * (1 - s);
    return value(theta) * (math::log(hi) - math::log(lo)) * s * (1 - s);
  }
  /// theta(v) for v inside the bounds (and v > 0 with log); host only.
  double theta(double v) const {
    if (!bounded) return log ? std::log(v) : v;
    const double s = log ? (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo)) : (v - lo) / (hi - lo);
    return std::log(s / (1 - s));
  }
};

}  // namespace pinnkit::pde
