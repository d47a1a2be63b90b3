// The Cole-Hopf generator against PINNacle's COMSOL table, and against the
// equation itself (finite differences) for viscosities without a table.
#include <gtest/gtest.h>

#include <cmath>

#include "pde/cole_hopf.hpp"
#include "pde/reference_data.hpp"

namespace pinnkit::pde {

namespace {

/// u_t + u u_x - nu u_xx at (x, t) by central differences with step h.
double burgers_residual(double x, double t, double nu, double h) {
  auto u = [&](double a, double b) { return burgers_sine_solution(a, b, nu); };
  const double u0 = u(x, t);
  const double ut = (u(x, t + h) - u(x, t - h)) / (2 * h);
  const double ux = (u(x + h, t) - u(x - h, t)) / (2 * h);
  const double uxx = (u(x + h, t) - 2 * u0 + u(x - h, t)) / (h * h);
  return ut + u0 * ux - nu * uxx;
}

}  // namespace

// PINNacle's COMSOL table is itself only about 1.4e-2 (relative L2) from
// the exact solution: its mesh smears the shock at x = 0 (max deviation
// about 0.09 at t = 0.4), and even at |x| > 0.5 it is off by up to 5e-3.
// An independent evaluation of the same integrals (numpy, 20001-point
// trapezoid) gives the same per-time deviations, so the tolerances are the
// table's accuracy: tight before the shock forms (t <= 0.1), loose after.
TEST(ColeHopf, MatchesPinnacleBurgersTableToItsAccuracy) {
  const auto table = read_data_table(data_file("pinnacle/burgers1d.dat"), 12);
  const auto times = header_times(table);
  std::vector<double> xs;
  for (int i = 0; i < table.rows; ++i) xs.push_back(table.at(i, 0));
  const auto generated = burgers_sine_reference(0.01 / M_PI, xs, times);
  const auto data = reference_from_time_columns(table, times);
  ASSERT_EQ(generated.points, data.points);
  double err2 = 0, ref2 = 0;
  for (std::size_t j = 0; j < times.size(); ++j) {
    double e2 = 0, r2 = 0;
    for (int i = 0; i < table.rows; ++i) {
      const std::size_t k = j * table.rows + i;
      e2 += std::pow(generated.values[k] - data.values[k], 2);
      r2 += data.values[k] * data.values[k];
    }
    if (times[j] > 0 && times[j] <= 0.1 + 1e-12) {
      EXPECT_LT(std::sqrt(e2 / r2), 2e-3) << "t = " << times[j];
    }
    err2 += e2;
    ref2 += r2;
  }
  EXPECT_LT(std::sqrt(err2 / ref2), 2e-2);
}

TEST(ColeHopf, SatisfiesBurgersEquationAtSmoothPoints) {
  for (double nu : {0.01 / M_PI, 0.02, 0.1}) {
    for (auto [x, t] : {std::pair{0.5, 0.5}, std::pair{-0.3, 0.8}, std::pair{0.9, 0.2}}) {
      // Scale of the terms that must cancel, so the tolerance is relative.
      const double h = 1e-3;
      const double ut = (burgers_sine_solution(x, t + h, nu) - burgers_sine_solution(x, t - h, nu)) / (2 * h);
      const double r = burgers_residual(x, t, nu, h);
      EXPECT_LT(std::abs(r), 1e-4 * std::max(1.0, std::abs(ut))) << "nu " << nu << " x " << x << " t " << t;
    }
  }
}

TEST(ColeHopf, KeepsTheInitialValueTheWallsAndOddSymmetry) {
  for (double x : {-0.7, 0.0, 0.25}) EXPECT_DOUBLE_EQ(burgers_sine_solution(x, 0.0, 0.05), -std::sin(M_PI * x));
  // Just after the start the solution is still close to the initial value.
  EXPECT_NEAR(burgers_sine_solution(0.4, 1e-6, 0.05), -std::sin(M_PI * 0.4), 1e-5);
  for (double t : {0.1, 0.5, 1.0}) {
    EXPECT_NEAR(burgers_sine_solution(1.0, t, 0.01 / M_PI), 0.0, 1e-10);
    EXPECT_NEAR(burgers_sine_solution(-1.0, t, 0.01 / M_PI), 0.0, 1e-10);
    EXPECT_NEAR(burgers_sine_solution(-0.37, t, 0.02), -burgers_sine_solution(0.37, t, 0.02), 1e-10);
  }
}

TEST(ColeHopf, LargeViscosityDecaysLikeTheHeatEquation) {
  // For large nu the convection term is small next to diffusion: the sine
  // mode decays at nearly exp(-nu pi^2 t).
  const double nu = 5.0, t = 0.01, x = 0.5;
  const double heat = -std::exp(-nu * M_PI * M_PI * t) * std::sin(M_PI * x);
  EXPECT_NEAR(burgers_sine_solution(x, t, nu), heat, 0.02 * std::abs(heat));
}

}  // namespace pinnkit::pde
