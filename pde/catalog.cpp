#include "pde/catalog.hpp"

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
  s.equations = {"u_xx + u_yy + k^2*u - (k^2 - (a1^2 + a2^2)*pi^2)*sin(a1*pi*x)*sin(a2*pi*y)"};
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

}  // namespace

const std::vector<ProblemInfo>& catalog() {
  static const std::vector<ProblemInfo> problems{
      {"poisson1d",
       "-u_xx = (a pi)^2 sin(a pi x) on [-1,1], u = sin(a pi x) at both ends (0 for integer a); "
       "exact u = sin(a pi x)",
       {{"a", 1.0}},
       nullptr},
      {"poisson2d",
       "-(u_xx + u_yy) = 2 (a pi)^2 sin(a pi x) sin(a pi y) on [-1,1]^2, u = exact on the "
       "boundary (0 for integer a); exact u = sin(a pi x) sin(a pi y)",
       {{"a", 1.0}},
       nullptr},
      {"poisson3d",
       "-Lap u = 3 (a pi)^2 sin(a pi x) sin(a pi y) sin(a pi z) on [-1,1]^3, u = exact on "
       "the boundary (0 for integer a); exact u = sin(a pi x) sin(a pi y) sin(a pi z)",
       {{"a", 1.0}},
       nullptr},
      {"helmholtz2d",
       "u_xx + u_yy + k^2 u = q on [-1,1]^2, u = exact on the boundary (0 for integer a1, a2); "
       "exact u = sin(a1 pi x) sin(a2 pi y)",
       {{"a1", 1.0}, {"a2", 1.0}, {"k", 1.0}},
       helmholtz2d},
      {"heat1d",
       "u_t = k u_xx on [0,1] x [0,1], u = 0 at x = 0, 1, u(x,0) = sin(pi x); exact "
       "u = exp(-k pi^2 t) sin(pi x)",
       {{"k", 0.1}},
       heat1d},
      {"custom", "a PDE written in the config (inputs, domain, equations, conditions)", {}, nullptr},
  };
  return problems;
}

const ProblemInfo* find_problem(const std::string& name) {
  for (const auto& p : catalog())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace pinnkit::pde
