#include "pde/cole_hopf.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace pinnkit::pde {

double burgers_sine_solution(double x, double t, double nu) {
  PINNKIT_CHECK(nu > 0 && t >= 0, "Cole-Hopf needs nu > 0 and t >= 0");
  const double pi = M_PI;
  if (t == 0) return -std::sin(pi * x);
  // f's exponent spans 1/(pi nu) between its extremes: the window must let
  // the Gaussian beat that range by another exp(-40).
  const double half_width = std::sqrt(4 * nu * t * (1 / (pi * nu) + 40));
  // Curvatures of the two exponents give the narrowest feature to resolve.
  const double feature = std::min(std::sqrt(2 * nu * t), std::sqrt(2 * nu / pi));
  const int n = 2 * static_cast<int>(std::ceil(half_width / (feature / 24))) + 1;
  const double h = 2 * half_width / (n - 1);
  auto exponent = [&](double e) { return -std::cos(pi * (x - e)) / (2 * pi * nu) - e * e / (4 * nu * t); };
  double peak = -INFINITY;
  for (int i = 0; i < n; ++i) peak = std::max(peak, exponent(-half_width + i * h));
  double num = 0, den = 0;
  for (int i = 0; i < n; ++i) {
    const double e = -half_width + i * h;
    const double w = std::exp(exponent(e) - peak) * (i == 0 || i == n - 1 ? 0.5 : 1.0);
    num += std::sin(pi * (x - e)) * w;
    den += w;
  }
  return -num / den;
}

ReferenceData burgers_sine_reference(double nu, const std::vector<double>& xs, const std::vector<double>& ts) {
  ReferenceData r;
  r.inputs = 2;
  r.outputs = 1;
  std::ostringstream s;
  s.precision(17);
  s << "Cole-Hopf (nu = " << nu << ")";
  r.source = s.str();
  for (double t : ts)
    for (double x : xs) {
      r.points.push_back(x);
      r.points.push_back(t);
      r.values.push_back(burgers_sine_solution(x, t, nu));
    }
  return r;
}

}  // namespace pinnkit::pde
