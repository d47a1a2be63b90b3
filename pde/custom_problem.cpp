#include "pde/custom_problem.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "pde/expr_compile.hpp"
#include "pde/box.hpp"
#include "pde/space_time.hpp"

namespace pinnkit::pde {

namespace {

std::shared_ptr<const Geometry> make_domain(const ProblemSpec& spec, const std::string& source) {
  std::vector<std::string> space;
  std::vector<double> lower, upper;
  for (std::size_t i = 0; i < spec.inputs.size(); ++i) {
    const auto& name = spec.inputs[i];
    if (name == "t") {
      if (i + 1 != spec.inputs.size())
        throw InputError(input_message(source, "problem.inputs",
                                       "expected the time input 't' last, got it at position " +
                                           std::to_string(i + 1)));
      continue;
    }
    space.push_back(name);
    lower.push_back(spec.domain.at(name)[0]);
    upper.push_back(spec.domain.at(name)[1]);
  }
  if (space.empty())
    throw InputError(input_message(source, "problem.inputs", "expected at least one spatial input"));
  std::shared_ptr<const Geometry> region = spec.geometry;
  if (!region) region = std::make_shared<Box>(space, lower, upper);
  if (region->dim() != static_cast<int>(space.size()))
    throw InternalError("catalog geometry of dimension " + std::to_string(region->dim()) + " for " +
                        std::to_string(space.size()) + " spatial inputs");
  if (space.size() == spec.inputs.size()) return region;
  const auto& t = spec.domain.at("t");
  return std::make_shared<SpaceTime>(region, "t", t[0], t[1]);
}

std::string parens(const std::string& e) { return "(" + e + ")"; }

/// A number as expression text, without losing digits.
std::string number(double v) {
  std::ostringstream s;
  s << std::setprecision(17) << v;
  return parens(s.str());
}

}  // namespace

CustomProblem::CustomProblem(const ProblemSpec& spec, const std::string& source)
    : inputs_(spec.inputs), outputs_(spec.outputs), unknowns_(make_unknowns(spec, source)),
      domain_(make_domain(spec, source)) {
  // An unknown takes the place of a parameter of the same name in the
  // residuals; the parameter (the true value) stays for the exact solution.
  std::map<std::string, double> params = spec.params;
  std::vector<std::string> unknown_names;
  for (const auto& u : unknowns_) {
    params.erase(u.name);
    unknown_names.push_back(u.name);
  }
  symbols_ = ExprSymbols{inputs_, outputs_, params, unknown_names};
  validate_symbols(symbols_, source + ": problem");
  for (std::size_t i = 0; i < spec.equations.size(); ++i) {
    const ExprSource eq{spec.equations[i], source + ": problem.equations[" + std::to_string(i) + "]"};
    terms_.push_back({"pde", PointSet::interior, std::make_shared<ExprResidual>(eq, symbols_), {}});
  }
  for (std::size_t i = 0; i < spec.conditions.size(); ++i)
    add_condition(spec.conditions[i], "problem.conditions[" + std::to_string(i) + "]", source);
  add_observations(spec, source);
  check_unknowns_used(source);
  if (!spec.exact.empty() && !spec.exact_list.empty())
    throw InternalError("problem spec with both a single and a list exact solution");
  const auto exact = exact_expressions(spec);
  if (!exact.empty() && exact.size() != outputs_.size())
    throw InputError(input_message(source, "problem.exact",
                                   "one expression per output (" + std::to_string(outputs_.size()) +
                                       "), got " + std::to_string(exact.size())));
  for (std::size_t o = 0; o < exact.size(); ++o) {
    const std::string key = spec.exact_list.empty() ? "problem.exact" : "problem.exact[" + std::to_string(o) + "]";
    exact_.push_back(std::make_unique<ExprField>(ExprSource{exact[o], source + ": " + key}, inputs_, spec.params));
  }
}

void CustomProblem::add_condition(const ConditionSpec& c, const std::string& key,
                                  const std::string& source) {
  const std::string output = c.output.empty() ? outputs_.front() : c.output;
  // The value is a function of the inputs and params only (docs/custom_pde.md):
  // compiled alone first, so that reading an output is refused and every
  // error points into what the user wrote, not into the residual built below.
  if (c.type != "periodic")
    compile_expression(ExprSource{c.value, source + ": " + key + ".value"},
                       ExprSymbols{inputs_, {}, symbols_.parameters, {}});
  const std::string value = parens(c.value);
  auto residual = [&](const std::string& text) {
    return std::make_shared<ExprResidual>(ExprSource{text, source + ": " + key + ".value"}, symbols_);
  };
  const auto* space_time = dynamic_cast<const SpaceTime*>(domain_.get());
  if (c.type == "initial" || c.type == "initial_rate") {
    if (!space_time)
      throw InputError(input_message(source, key + ".type",
                                     "a time input 't' for an initial condition, got none in problem.inputs"));
    const std::string lhs = c.type == "initial" ? output : output + "_t";
    terms_.push_back({"initial", PointSet::initial, residual(lhs + " - " + value), {}});
    return;
  }
  if (c.type == "periodic") return add_periodic(output, c, key, source);
  // Boundary parts: all faces, or those named in `on` (the config checked the names).
  const auto& names = domain_->part_names();
  std::vector<int> parts;
  for (int p = 0; p < static_cast<int>(names.size()); ++p)
    if (c.on.empty() || std::find(c.on.begin(), c.on.end(), names[p]) != c.on.end()) parts.push_back(p);
  if (c.type == "dirichlet") {
    terms_.push_back({"boundary", PointSet::boundary, residual(output + " - " + value), parts});
    return;
  }
  if (c.type == "operator") {
    // Checked alone first, so that its errors point into the expression as written.
    const ExprSource expression{c.expression, source + ": " + key + ".expression"};
    (void)ExprResidual(expression, symbols_);
    terms_.push_back({"boundary", PointSet::boundary, residual(parens(c.expression) + " - " + value), parts});
    return;
  }
  // neumann / robin: on a box face the outward normal derivative is
  // -+ d/d(axis), so each face gets its own residual.
  for (int p : parts) {
    const std::string axis = names[p].substr(0, names[p].rfind('_'));
    const std::string dn = std::string(names[p].substr(names[p].rfind('_')) == "_min" ? "-" : "") +
                           output + "_" + axis;
    std::string lhs = parens(dn);
    if (c.type == "robin")
      lhs = number(c.robin_alpha) + "*" + output + " + " + number(c.robin_beta) + "*" + lhs;
    terms_.push_back({"boundary", PointSet::boundary, residual(lhs + " - " + value), {p}});
  }
}

// Periodicity of a smooth solution: equal values and equal first
// derivatives across the axis (the second order of the PDE then follows).
void CustomProblem::add_periodic(const std::string& output, const ConditionSpec& c, const std::string& key,
                                 const std::string& source) {
  const auto* space_time = dynamic_cast<const SpaceTime*>(domain_.get());
  const Geometry& space = space_time ? space_time->space() : *domain_;
  const auto fail = [&](const std::string& got) {
    return InputError(input_message(source, key + ".on",
                                    "the two faces of one spatial axis of a box, e.g. [x_min, x_max], got " + got));
  };
  const std::string listed = "[" + join(c.on) + "]";
  if (c.on.size() != 2 || !dynamic_cast<const Box*>(&space)) throw fail(listed);
  const auto& axes = space.names();
  int axis = -1;
  for (int a = 0; a < static_cast<int>(axes.size()); ++a) {
    const bool both = std::count(c.on.begin(), c.on.end(), axes[a] + "_min") == 1 &&
                      std::count(c.on.begin(), c.on.end(), axes[a] + "_max") == 1;
    if (both) axis = a;
  }
  if (axis < 0) throw fail(listed);
  const auto& names = domain_->part_names();
  const int lower_face = static_cast<int>(std::find(names.begin(), names.end(), axes[axis] + "_min") - names.begin());
  PINNKIT_CHECK(lower_face < static_cast<int>(names.size()), "box without its face " + axes[axis] + "_min");
  for (const std::string& read : {output, output + "_" + axes[axis]}) {
    auto per_point = std::make_shared<ExprResidual>(ExprSource{read, source + ": " + key}, symbols_);
    terms_.push_back({"boundary", PointSet::boundary, per_point, {lower_face},
                      PeriodicPairing{axis, space.lower()[axis], space.upper()[axis]}});
  }
}

void CustomProblem::add_observations(const ProblemSpec& spec, const std::string& source) {
  observations_ = make_observations(spec, inputs_, outputs_, source);
  const int n = observations_.count(), m = static_cast<int>(observations_.outputs.size());
  for (int j = 0; j < m; ++j) {
    auto fixed = std::make_shared<FixedPoints>();
    fixed->points = observations_.points;
    for (int i = 0; i < n; ++i) fixed->targets.push_back(observations_.values[i * m + j]);
    const std::string key = source + ": problem.observations.outputs[" + std::to_string(j) + "]";
    auto read = std::make_shared<ExprResidual>(ExprSource{observations_.outputs[j], key}, symbols_);
    terms_.push_back({"data", PointSet::data, read, {}, std::nullopt, fixed});
  }
}

void CustomProblem::check_unknowns_used(const std::string& source) const {
  for (std::size_t k = 0; k < unknowns_.size(); ++k) {
    const bool used = std::any_of(terms_.begin(), terms_.end(), [&](const LossTerm& t) {
      const auto& u = t.residual->unknowns();
      return std::find(u.begin(), u.end(), static_cast<int>(k)) != u.end();
    });
    if (!used)
      throw InputError(input_message(source, "problem.unknowns." + unknowns_[k].name,
                                     "an unknown that an equation or condition reads, got one that none reads"));
  }
}

void CustomProblem::exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const {
  for (std::size_t o = 0; o < exact_.size(); ++o) exact_[o]->evaluate_field(exec, points, u, static_cast<int>(o));
}

}  // namespace pinnkit::pde
