#include "pde/allen_cahn_ball.hpp"

#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "pde/custom_problem.hpp"
#include "pde/geometry_ball.hpp"

namespace pinnkit::pde {

namespace {

// The largest dimension accepted: the exact solution and source repeat |x|
// about ten times, each a sum of d squares, and the jets carry d + 3 channels.
constexpr int max_dimension = 100;

int dimension(const std::map<std::string, double>& params) {
  const auto it = params.find("d");
  return it == params.end() ? 10 : static_cast<int>(std::lround(it->second));
}

}  // namespace

ProblemSpec allen_cahn_ball_spec(const std::map<std::string, double>& params) {
  const int d = dimension(params);
  ProblemSpec s;
  s.pde = "custom";
  s.params = params;
  std::vector<std::string> space;
  std::string r2;
  for (int i = 1; i <= d; ++i) {
    space.push_back("x" + std::to_string(i));
    s.inputs.push_back(space.back());
    s.domain[space.back()] = {-1.0, 1.0};
    r2 += (i > 1 ? " + " : "") + space.back() + "^2";
  }
  s.inputs.push_back("t");
  s.domain["t"] = {0.0, 1.0};
  s.geometry = std::make_shared<Ball>(space, std::vector<double>(d, 0.0), 1.0);
  // u = e^-t g(r), g = sin(a) + c sin(b), a = pi/2 s^2.5, b = pi/2 s, s = |1 - r|
  // (the absolute value keeps s^2.5 real where rounding puts r above 1).
  // Lap u = e^-t (g'' + (d - 1) g' / r) and u_t = -u, so
  // f = u_t - Lap u - u + u^3 = -2 u - e^-t (g'' + (d - 1) g' / r) + u^3.
  // The expressions are evaluated in dual numbers, whose rules for sqrt, x^p
  // and 1/r apply the derivative factor even where the tangent is 0: at the
  // centre (the first Sobol point lands there) g'/r would be 0/0 and on the
  // sphere s^0.5 would give inf * 0. The offsets keep both finite and change
  // u* and f by less than 1e-12 relative (g'(r)/r -> g''(0) as r -> 0).
  const std::string r = "sqrt(" + r2 + " + 1e-24)";
  const std::string sv = "(abs(1 - " + r + ") + 1e-300)";
  const std::string a = "(pi/2*" + sv + "^2.5)", b = "(pi/2*(1 - " + r + "))";
  const std::string da = "(-5*pi/4*" + sv + "^1.5)", dda = "(15*pi/8*" + sv + "^0.5)";
  const std::string g = "(sin" + a + " + c*sin" + b + ")";
  const std::string dg = "(cos" + a + "*" + da + " - c*pi/2*cos" + b + ")";
  const std::string ddg = "(-sin" + a + "*" + da + "^2 + cos" + a + "*" + dda + " - c*(pi/2)^2*sin" + b + ")";
  const std::string u = "(exp(-t)*" + g + ")";
  s.exact = "exp(-t)*" + g;
  const std::string source = "(-2*" + u + " - exp(-t)*(" + ddg + " + " + std::to_string(d - 1) + "*" + dg + "/" +
                             r + ") + " + u + "^3)";
  s.equations = {"u_t - lap(u) - u + u^3 - " + source};
  ConditionSpec boundary, initial;
  boundary.type = "dirichlet";
  boundary.value = s.exact;
  initial.type = "initial";
  initial.value = g;
  s.conditions = {boundary, initial};
  return s;
}

std::unique_ptr<Problem> make_allen_cahn_ball(const ProblemSpec& spec, const std::string& source) {
  const double d = spec.params.count("d") ? spec.params.at("d") : 10.0;
  if (!(d >= 2 && d <= max_dimension && d == std::round(d))) {
    std::ostringstream got;
    got << d;
    throw InputError(input_message(source, "problem.params.d",
                                   "expected an integer dimension in 2.." + std::to_string(max_dimension) +
                                       ", got " + got.str()));
  }
  return std::make_unique<CustomProblem>(with_inverse_parts(allen_cahn_ball_spec(spec.params), spec), source);
}

}  // namespace pinnkit::pde
