#pragma once
/// \brief Test tolerances written for double, scaled to the precision of
/// pinnkit::Real (the float build, -DPINNKIT_SINGLE_PRECISION=ON).
///
/// Every helper returns its argument unchanged when Real is double, so the
/// double suite keeps exactly the tolerances it was written with; in the
/// float build the tolerance follows from the precision, never from a guess.
///
/// Why these scalings. Let e = eps(Real) and r = e / eps(double) (1 for
/// double, 2^29 ~ 5.4e8 for float).
///  - Round-off. A value computed in Real by a fixed sequence of operations
///    differs from the exact one by c * e for a c fixed by the algorithm and
///    the data (condition number, length of sums), not by the precision. A
///    tolerance x written for double is c_max * eps(double), so the same
///    test in float needs c_max * e = x * r: tol(x).
///  - Finite differences. A central stencil of accuracy order p for a k-th
///    derivative with step h has truncation error ~ C h^p and round-off
///    error ~ e |f| / h^k (the stencil's weights are O(1), divided by h^k).
///    Their sum is smallest at h* ~ e^(1/(p+k)), where the error is
///    ~ e^(p/(p+k)). So a step chosen for double scales by r^(1/(p+k))
///    (fd_step) and its tolerance by r^(p/(p+k)) (fd_tol); e.g. the
///    second-order first derivative (p = 2, k = 1): step ~ e^(1/3), error
///    ~ e^(2/3). A power of r between 0 and 1 in general: tol_pow(x, q).
///  - Errors that are not round-off (an optimiser's stopping test, the
///    truncation of a series, the discretisation of a PDE) do not depend on
///    the precision while they stay above the round-off floor: such
///    tolerances are left as they are, or given a floor of tol(x) where
///    round-off could reach them: tol_floor(x, roundoff).
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/real.hpp"

namespace pinnkit::testing {

/// True in the default (double) build.
inline constexpr bool real_is_double = std::is_same<Real, double>::value;

/// eps(Real) / eps(double): 1 in the double build, 2^29 in the float build.
inline constexpr double eps_ratio =
    static_cast<double>(std::numeric_limits<Real>::epsilon()) /
    std::numeric_limits<double>::epsilon();

/// A round-off tolerance written for double, scaled to Real: x * eps_ratio.
constexpr double tol(double x) { return x * eps_ratio; }

/// x * eps_ratio^q, for an error that goes as eps^q (e.g. q = 2 for a mean
/// of squared round-off errors).
inline double tol_pow(double x, double q) { return x * std::pow(eps_ratio, q); }

/// Step of a central stencil of accuracy order p for a k-th derivative,
/// chosen as h for double: h * eps_ratio^(1/(p+k)).
inline double fd_step(double h, int p, int k) { return tol_pow(h, 1.0 / (p + k)); }

/// Tolerance of that stencil's result, chosen as x for double:
/// x * eps_ratio^(p/(p+k)).
inline double fd_tol(double x, int p, int k) {
  return tol_pow(x, static_cast<double>(p) / (p + k));
}

/// A tolerance x that is not about round-off, raised to tol(roundoff) in a
/// precision where round-off could reach it: max(x, tol(roundoff)). With
/// roundoff <= x it is x in the double build.
constexpr double tol_floor(double x, double roundoff) { return std::max(x, tol(roundoff)); }

}  // namespace pinnkit::testing

/// EXPECT_DOUBLE_EQ (4 ulps of double) in the double build; in the float
/// build both sides rounded to float and EXPECT_FLOAT_EQ (4 ulps of float):
/// for values the library computes in Real from the same inputs as a double
/// reference by the same few operations.
#define PINNKIT_EXPECT_REAL_EQ(a, b)                                        \
  do {                                                                      \
    if constexpr (::pinnkit::testing::real_is_double) {                     \
      EXPECT_DOUBLE_EQ(a, b);                                               \
    } else {                                                                \
      EXPECT_FLOAT_EQ(static_cast<float>(a), static_cast<float>(b));        \
    }                                                                       \
  } while (0)
