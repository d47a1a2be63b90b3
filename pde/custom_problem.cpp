#include "pde/custom_problem.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "core/error.hpp"
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
  auto box = std::make_shared<Box>(space, lower, upper);
  if (space.size() == spec.inputs.size()) return box;
  const auto& t = spec.domain.at("t");
  return std::make_shared<SpaceTime>(box, "t", t[0], t[1]);
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
    : inputs_(spec.inputs), outputs_(spec.outputs), domain_(make_domain(spec, source)) {
  symbols_ = ExprSymbols{inputs_, outputs_, spec.params};
  validate_symbols(symbols_, source + ": problem");
  for (std::size_t i = 0; i < spec.equations.size(); ++i) {
    const ExprSource eq{spec.equations[i], source + ": problem.equations[" + std::to_string(i) + "]"};
    terms_.push_back({"pde", PointSet::interior, std::make_shared<ExprResidual>(eq, symbols_), {}});
  }
  for (std::size_t i = 0; i < spec.conditions.size(); ++i)
    add_condition(spec.conditions[i], "problem.conditions[" + std::to_string(i) + "]", source);
  if (!spec.exact.empty()) {
    if (outputs_.size() != 1)
      throw InputError(input_message(source, "problem.exact",
                                     "an exact solution for a single output, got " +
                                         std::to_string(outputs_.size()) + " outputs"));
    exact_ = std::make_unique<ExprField>(ExprSource{spec.exact, source + ": problem.exact"}, inputs_,
                                         spec.params);
  }
}

void CustomProblem::add_condition(const ConditionSpec& c, const std::string& key,
                                  const std::string& source) {
  const std::string output = c.output.empty() ? outputs_.front() : c.output;
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
  if (c.type == "periodic")
    throw InputError(input_message(source, key + ".type",
                                   "dirichlet, neumann, robin, initial or initial_rate; periodic "
                                   "conditions are not available in this version"));
  // Boundary parts: all faces, or those named in `on` (the config checked the names).
  const auto& names = domain_->part_names();
  std::vector<int> parts;
  for (int p = 0; p < static_cast<int>(names.size()); ++p)
    if (c.on.empty() || std::find(c.on.begin(), c.on.end(), names[p]) != c.on.end()) parts.push_back(p);
  if (c.type == "dirichlet") {
    terms_.push_back({"boundary", PointSet::boundary, residual(output + " - " + value), parts});
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

void CustomProblem::exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const {
  exact_->evaluate_field(exec, points, u, 0);
}

}  // namespace pinnkit::pde
