// Catalog families whose reference solution is a data file (PINNacle's
// COMSOL solutions in data/pinnacle/) or a generator (Cole-Hopf): their
// equations are custom-problem specs, wrapped with the reference data.
#include <cmath>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "pde/catalog.hpp"
#include "pde/cole_hopf.hpp"
#include "pde/csg.hpp"
#include "pde/custom_problem.hpp"
#include "pde/problem_with_reference.hpp"

namespace pinnkit::pde {

namespace {

const double burgers_pinnacle_nu = 0.01 / M_PI;

ConditionSpec condition(const std::string& type, const std::string& value, std::vector<std::string> on,
                        const std::string& output = "") {
  ConditionSpec c;
  c.type = type;
  c.value = value;
  c.on = std::move(on);
  c.output = output;
  return c;
}

std::string text(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

bool same_value(double a, double b) { return std::abs(a - b) <= 1e-6 * std::abs(b); }

/// PINNacle Poisson2d-C (src/pde/poisson.py, Poisson2D_Classic, scale 1).
ProblemSpec poisson2d_cg_spec() {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "y"};
  s.domain = {{"x", {-0.5, 0.5}}, {"y", {-0.5, 0.5}}};
  s.geometry = std::make_shared<Csg2d>(pinnacle_poisson2d_c_domain());
  s.equations = {"lap(u)"};
  s.conditions = {condition("dirichlet", "1", {"x_min", "x_max", "y_min", "y_max"}),
                  condition("dirichlet", "0", {"circle_1", "circle_2", "circle_3", "circle_4"})};
  return s;
}

std::unique_ptr<Problem> poisson2d_cg(const ProblemSpec& spec, const std::string& source) {
  auto inner = std::make_unique<CustomProblem>(with_inverse_parts(poisson2d_cg_spec(), spec), source);
  const auto table = read_data_table(data_file("pinnacle/poisson1_cg_data.dat"), 3);
  return std::make_unique<ProblemWithReference>(std::move(inner), reference_from_columns(table, 2, 1));
}

/// PINNacle Burgers1d-C (src/pde/burgers.py, Burgers1D) with any nu.
ProblemSpec burgers1d_spec(double nu) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {-1.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = {{"nu", nu}};
  s.equations = {"u_t + u*u_x - nu*u_xx"};
  s.conditions = {condition("initial", "-sin(pi*x)", {}), condition("dirichlet", "0", {"x_min", "x_max"})};
  return s;
}

/// PINNacle's nu: its COMSOL table; any other nu: Cole-Hopf on the same
/// 101 x 11 grid of (x, t).
std::unique_ptr<Problem> burgers1d(const ProblemSpec& spec, const std::string& source) {
  const double nu = spec.params.at("nu");
  if (!(nu > 0))
    throw InputError(input_message(source, "problem.params.nu", "expected a positive viscosity, got " + text(nu)));
  auto inner = std::make_unique<CustomProblem>(with_inverse_parts(burgers1d_spec(nu), spec), source);
  if (same_value(nu, burgers_pinnacle_nu)) {
    const auto table = read_data_table(data_file("pinnacle/burgers1d.dat"), 12);
    auto times = header_times(table);
    if (times.empty())
      throw InputError(input_message(table.file, "header", "expected the column names '... @ t=...', got none"));
    return std::make_unique<ProblemWithReference>(std::move(inner), reference_from_time_columns(table, times));
  }
  std::vector<double> xs, ts;
  for (int i = 0; i <= 100; ++i) xs.push_back(-1.0 + 0.02 * i);
  for (int j = 0; j <= 10; ++j) ts.push_back(0.1 * j);
  return std::make_unique<ProblemWithReference>(std::move(inner), burgers_sine_reference(nu, xs, ts));
}

/// PINNacle NS2d-C (src/pde/ns.py, NSEquation_LidDriven / NS2D_LidDriven):
/// steady incompressible Navier-Stokes in [0,1]^2, lid u = a x (1 - x).
ProblemSpec ns2d_lid_spec(double a, double nu) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "y"};
  s.domain = {{"x", {0.0, 1.0}}, {"y", {0.0, 1.0}}};
  s.outputs = {"u", "v", "p"};
  s.params = {{"a", a}, {"nu", nu}};
  s.equations = {"u*u_x + v*u_y + p_x - nu*lap(u)", "u*v_x + v*v_y + p_y - nu*lap(v)",
                 "u_x + v_y"};
  const std::vector<std::string> walls{"x_min", "x_max", "y_min"};
  s.conditions = {condition("dirichlet", "a*x*(1 - x)", {"y_max"}, "u"), condition("dirichlet", "0", {"y_max"}, "v"),
                  condition("dirichlet", "0", walls, "u"), condition("dirichlet", "0", walls, "v")};
  return s;
}

/// Reference data only for PINNacle's instance (a = 4, nu = 0.01); other
/// instances train without one.
std::unique_ptr<Problem> ns2d_lid(const ProblemSpec& spec, const std::string& source) {
  const double a = spec.params.at("a"), nu = spec.params.at("nu");
  if (!(nu > 0))
    throw InputError(input_message(source, "problem.params.nu", "expected a positive viscosity, got " + text(nu)));
  auto inner = std::make_unique<CustomProblem>(with_inverse_parts(ns2d_lid_spec(a, nu), spec), source);
  if (!same_value(a, 4.0) || !same_value(nu, 0.01)) return inner;
  const auto table = read_data_table(data_file("pinnacle/lid_driven_a4.dat"), 5);
  return std::make_unique<ProblemWithReference>(std::move(inner), reference_from_columns(table, 2, 3));
}

}  // namespace

std::vector<ProblemInfo> data_problems() {
  return {
      {"poisson2d_cg",
       "PINNacle Poisson2d-C (i207M/PINNacle src/pde/poisson.py Poisson2D_Classic): u_xx + u_yy = 0 on "
       "[-0.5,0.5]^2 minus 4 disks of radius 0.1 at (+-0.3, +-0.3); u = 1 on the square's edges, u = 0 on "
       "the circles; reference: COMSOL data/pinnacle/poisson1_cg_data.dat (1246 nodes)",
       {},
       nullptr,
       poisson2d_cg},
      {"burgers1d",
       "PINNacle Burgers1d-C (i207M/PINNacle src/pde/burgers.py Burgers1D): u_t + u u_x = nu u_xx on "
       "[-1,1] x [0,1], u(x,0) = -sin(pi x), u(+-1,t) = 0; reference at 101 x 11 (x, t) nodes: COMSOL "
       "data/pinnacle/burgers1d.dat for nu = 0.01/pi, the Cole-Hopf transform for other nu",
       {{"nu", burgers_pinnacle_nu}},
       nullptr,
       burgers1d},
      {"ns2d_lid",
       "PINNacle NS2d-C lid-driven cavity (i207M/PINNacle src/pde/ns.py NS2D_LidDriven): steady "
       "incompressible Navier-Stokes u.grad(u) + grad(p) = nu Lap(u), div(u) = 0 on [0,1]^2, outputs u, v, "
       "p; lid (y = 1) u = a x (1 - x), v = 0; other walls u = v = 0; p is fixed only up to a constant "
       "(PINNacle pins p(0,0) = 0, as its data does); reference: COMSOL data/pinnacle/lid_driven_a4.dat "
       "for a = 4, nu = 0.01 (Re = 100), none otherwise",
       {{"a", 4.0}, {"nu", 0.01}},
       nullptr,
       ns2d_lid},
  };
}

}  // namespace pinnkit::pde
