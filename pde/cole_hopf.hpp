#pragma once
/// \brief Reference solution of the viscous Burgers equation
/// u_t + u u_x = nu u_xx with u(x, 0) = -sin(pi x) (PINNacle Burgers1d-C)
/// for any nu > 0, by the Cole-Hopf transform.
///
/// The initial value is odd and 2-periodic, so the whole-line solution
/// vanishes at x = +-1 for all t and also solves the problem on [-1, 1] with
/// u(+-1, t) = 0. With f(y) = exp(-cos(pi y) / (2 pi nu)) and the heat kernel,
///   u(x, t) = -int sin(pi (x - e)) f(x - e) exp(-e^2 / (4 nu t)) de
///             / int f(x - e) exp(-e^2 / (4 nu t)) de.
/// Both integrals are computed by the trapezoidal rule on a window outside
/// which the integrand is below exp(-40) of its peak, with a step that
/// resolves the narrowest feature of the integrand; the integrand is smooth
/// and decays like a Gaussian there, so the rule converges exponentially.
/// Exponents are shifted by their maximum, so small nu does not overflow.
#include <vector>

#include "pde/reference_data.hpp"

namespace pinnkit::pde {

/// u(x, t) for t >= 0, nu > 0 (t = 0 returns -sin(pi x)).
double burgers_sine_solution(double x, double t, double nu);

/// u at every (x, t) pair of the product xs x ts (x fastest), as reference data
/// with source "Cole-Hopf (nu = ...)".
ReferenceData burgers_sine_reference(double nu, const std::vector<double>& xs, const std::vector<double>& ts);

}  // namespace pinnkit::pde
