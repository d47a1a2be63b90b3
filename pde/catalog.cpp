#include "pde/catalog.hpp"

#include "pde/allen_cahn_ball.hpp"
#include "pde/problem.hpp"

namespace pinnkit::pde {

namespace {

ConditionSpec condition(const std::string& type, const std::string& value,
                        std::vector<std::string> on = {}) {
  ConditionSpec c;
  c.type = type;
  c.value = value;
  c.on = std::move(on);
  return c;
}

/// Helmholtz on [-1,1]^2 with a manufactured solution (methods.md section 7).
ProblemSpec helmholtz2d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "y"};
  s.domain = {{"x", {-1.0, 1.0}}, {"y", {-1.0, 1.0}}};
  s.params = params;
  s.equations = {"lap(u) + k^2*u - (k^2 - (a1^2 + a2^2)*pi^2)*sin(a1*pi*x)*sin(a2*pi*y)"};
  s.exact = "sin(a1*pi*x)*sin(a2*pi*y)";
  s.conditions = {condition("dirichlet", s.exact)};  // 0 for integer a1, a2
  return s;
}

/// Heat equation on [0,1] x [0,1] decaying from one sine mode.
ProblemSpec heat1d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = params;
  s.equations = {"u_t - k*u_xx"};
  s.conditions = {condition("dirichlet", "0"), condition("initial", "sin(pi*x)")};
  s.exact = "exp(-k*pi^2*t)*sin(pi*x)";
  return s;
}

/// Heat equation on the unit square decaying from one sine mode.
ProblemSpec heat2d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "y", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"y", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = params;
  s.equations = {"u_t - k*lap(u)"};
  s.conditions = {condition("dirichlet", "0"), condition("initial", "sin(pi*x)*sin(pi*y)")};
  s.exact = "exp(-2*k*pi^2*t)*sin(pi*x)*sin(pi*y)";
  return s;
}

/// Linear advection of one period of a sine: the PINN failure-mode
/// benchmark (Krishnapriyan et al. 2021) whose x-boundary is periodic.
ProblemSpec convection1d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 2 * 3.14159265358979323846}}, {"t", {0.0, 1.0}}};
  s.params = params;
  s.equations = {"u_t + beta*u_x"};
  s.conditions = {condition("periodic", "0", {"x_min", "x_max"}), condition("initial", "sin(x)")};
  s.exact = "sin(x - beta*t)";
  return s;
}

/// PINNacle Wave1d-C (i207M/PINNacle, src/pde/wave.py: Wave1D(C=2, a=4)):
/// two standing modes with a closed form.
ProblemSpec wave1d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = params;
  s.equations = {"u_tt - c^2*u_xx"};
  s.conditions = {condition("dirichlet", "0"), condition("initial", "sin(pi*x) + sin(a*pi*x)/2"),
                  condition("initial_rate", "0")};
  s.exact = "sin(pi*x)*cos(c*pi*t) + sin(a*pi*x)*cos(a*c*pi*t)/2";
  s.conditions[0].value = s.exact;  // 0 for integer a
  return s;
}

/// Korteweg-de Vries one-soliton: a sech^2 pulse of speed c starting at x0.
/// The box is wide enough that the pulse stays inside; its boundary and
/// initial values are the exact trace, so any c and x0 are consistent.
ProblemSpec kdv1d(const std::map<std::string, double>& params) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {-6.0, 6.0}}, {"t", {0.0, 2.0}}};
  s.params = params;
  s.equations = {"u_t + 6*u*u_x + u_xxx"};
  s.exact = "c/2*sech(sqrt(c)/2*(x - c*t - x0))^2";
  s.conditions = {condition("dirichlet", s.exact), condition("initial", s.exact)};
  return s;
}

/// Allen-Cahn with a manufactured solution: the Raissi et al. initial shape
/// x^2 cos(pi x) decaying as exp(-t); the source term makes it exact.
ProblemSpec allen_cahn1d(const std::map<std::string, double>& params) {
  const std::string u = "(exp(-t)*x^2*cos(pi*x))";
  const std::string u_xx = "(exp(-t)*(2*cos(pi*x) - 4*pi*x*sin(pi*x) - pi^2*x^2*cos(pi*x)))";
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {-1.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = params;
  const std::string source = "(-" + u + " - d*" + u_xx + " + 5*(" + u + "^3 - " + u + "))";
  s.equations = {"u_t - d*u_xx + 5*(u^3 - u) - " + source};
  s.exact = u;
  s.conditions = {condition("dirichlet", s.exact), condition("initial", "x^2*cos(pi*x)")};
  return s;
}

/// Kovasznay flow (Kovasznay 1948): steady incompressible Navier-Stokes
/// behind a grid, outputs (u, v, p). The pressure is fixed by its values on
/// the outflow face x = 1 (it is otherwise defined up to a constant).
ProblemSpec kovasznay(const std::map<std::string, double>& params) {
  const std::string lambda = "(Re/2 - sqrt(Re^2/4 + 4*pi^2))";
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "y"};
  s.outputs = {"u", "v", "p"};
  s.domain = {{"x", {-0.5, 1.0}}, {"y", {-0.5, 1.5}}};
  s.params = params;
  s.equations = {"u*u_x + v*u_y + p_x - lap(u)/Re", "u*v_x + v*v_y + p_y - lap(v)/Re",
                 "u_x + v_y"};
  s.exact_list = {"1 - exp(" + lambda + "*x)*cos(2*pi*y)",
                  lambda + "/(2*pi)*exp(" + lambda + "*x)*sin(2*pi*y)",
                  "(1 - exp(2*" + lambda + "*x))/2"};
  s.conditions = {condition("dirichlet", s.exact_list[0]), condition("dirichlet", s.exact_list[1]),
                  condition("dirichlet", s.exact_list[2], {"x_max"})};
  s.conditions[0].output = "u";
  s.conditions[1].output = "v";
  s.conditions[2].output = "p";
  return s;
}

}  // namespace

std::vector<ProblemInfo> closed_form_problems() {
  return {
      {"poisson1d",
       "-u_xx = (a pi)^2 sin(a pi x) on [-1,1], u = sin(a pi x) at both ends (0 for integer a); "
       "exact u = sin(a pi x)",
       {{"a", 1.0}},
       nullptr, nullptr},
      {"poisson2d",
       "-(u_xx + u_yy) = 2 (a pi)^2 sin(a pi x) sin(a pi y) on [-1,1]^2, u = exact on the "
       "boundary (0 for integer a); exact u = sin(a pi x) sin(a pi y)",
       {{"a", 1.0}},
       nullptr, nullptr},
      {"poisson3d",
       "-Lap u = 3 (a pi)^2 sin(a pi x) sin(a pi y) sin(a pi z) on [-1,1]^3, u = exact on "
       "the boundary (0 for integer a); exact u = sin(a pi x) sin(a pi y) sin(a pi z)",
       {{"a", 1.0}},
       nullptr, nullptr},
      {"helmholtz2d",
       "u_xx + u_yy + k^2 u = q on [-1,1]^2, u = exact on the boundary (0 for integer a1, a2); "
       "exact u = sin(a1 pi x) sin(a2 pi y)",
       {{"a1", 1.0}, {"a2", 1.0}, {"k", 1.0}},
       helmholtz2d, nullptr},
      {"heat1d",
       "u_t = k u_xx on [0,1] x [0,1], u = 0 at x = 0, 1, u(x,0) = sin(pi x); exact "
       "u = exp(-k pi^2 t) sin(pi x)",
       {{"k", 0.1}},
       heat1d, nullptr},
      {"heat2d",
       "u_t = k (u_xx + u_yy) on [0,1]^2 x [0,1], u = 0 on the boundary, u(x,y,0) = sin(pi x) sin(pi y); "
       "exact u = exp(-2 k pi^2 t) sin(pi x) sin(pi y)",
       {{"k", 0.1}},
       heat2d, nullptr},
      {"convection1d",
       "u_t + beta u_x = 0 on [0,2pi] x [0,1], periodic in x (u and u_x), u(x,0) = sin(x); "
       "exact u = sin(x - beta t)",
       {{"beta", 1.0}},
       convection1d, nullptr},
      {"wave1d",
       "PINNacle Wave1d-C: u_tt = c^2 u_xx on [0,1] x [0,1], u = 0 at x = 0, 1 (integer a), "
       "u(x,0) = sin(pi x) + sin(a pi x)/2, u_t(x,0) = 0; exact u = sin(pi x) cos(c pi t) + "
       "sin(a pi x) cos(a c pi t)/2",
       {{"a", 4.0}, {"c", 2.0}},
       wave1d, nullptr},
      {"kdv1d",
       "Korteweg-de Vries u_t + 6 u u_x + u_xxx = 0 on [-6,6] x [0,2], u = exact on x = -6, 6 and at "
       "t = 0; exact one-soliton u = c/2 sech^2(sqrt(c)/2 (x - c t - x0))",
       {{"c", 1.0}, {"x0", -1.0}},
       kdv1d, nullptr},
      {"allen_cahn1d",
       "Allen-Cahn u_t - d u_xx + 5 (u^3 - u) = f on [-1,1] x [0,1] with f manufactured from "
       "u = exp(-t) x^2 cos(pi x), u = exact on x = -1, 1, u(x,0) = x^2 cos(pi x); exact u = "
       "exp(-t) x^2 cos(pi x)",
       {{"d", 0.001}},
       allen_cahn1d, nullptr},
      {"allen_cahn_ball",
       "SVD-PINN template (arXiv 2211.08760): Allen-Cahn u_t - Lap u - u + u^3 = f on the unit ball of "
       "R^d x [0,1] (inputs x1..xd, t), f manufactured, u = exact on the sphere and at t = 0; exact "
       "u = exp(-t) [sin(pi/2 |1-|x||^2.5) + c sin(pi/2 (1-|x|))]; source c = 0, targets 0.5, 2, 50",
       {{"c", 0.0}, {"d", 10.0}},
       allen_cahn_ball_spec, make_allen_cahn_ball},
      {"kovasznay",
       "Kovasznay flow, steady Navier-Stokes (u.grad)u + grad p = Lap u / Re, div u = 0 on "
       "[-0.5,1] x [-0.5,1.5], outputs u, v, p; u, v = exact on the boundary, p = exact at x = 1; exact "
       "(l = Re/2 - sqrt(Re^2/4 + 4 pi^2)) u = 1 - exp(l x) cos(2 pi y), v = l/(2 pi) exp(l x) "
       "sin(2 pi y), p = (1 - exp(2 l x))/2",
       {{"Re", 20.0}},
       kovasznay, nullptr},
  };
}

const std::vector<ProblemInfo>& catalog() {
  static const std::vector<ProblemInfo> problems = [] {
    auto all = closed_form_problems();
    for (auto& p : data_problems()) all.push_back(std::move(p));
    all.push_back({"custom", "a PDE written in the config (inputs, domain, equations, conditions)", {}, nullptr,
                   nullptr});
    return all;
  }();
  return problems;
}

const ProblemInfo* find_problem(const std::string& name) {
  for (const auto& p : catalog())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace pinnkit::pde
