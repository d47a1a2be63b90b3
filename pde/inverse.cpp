#include "pde/inverse.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/strings.hpp"

namespace pinnkit::pde {

namespace {

std::string text(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

}  // namespace

std::vector<Unknown> make_unknowns(const ProblemSpec& spec, const std::string& source) {
  std::vector<Unknown> out;
  for (const auto& [name, u] : spec.unknowns) {
    const std::string key = "problem.unknowns." + name;
    auto fail = [&](const std::string& sub, const std::string& what) {
      return InputError(input_message(source, key + sub, what));
    };
    if (!std::isfinite(u.init)) throw fail(".init", "expected a finite number, got " + text(u.init));
    if (u.bounded) {
      if (!(u.lower < u.upper) || !std::isfinite(u.lower) || !std::isfinite(u.upper))
        throw fail(".bounds", "expected finite [lower, upper] with lower < upper, got [" + text(u.lower) + ", " +
                                  text(u.upper) + "]");
      if (!(u.lower < u.init && u.init < u.upper))
        throw fail(".init", "expected a value strictly inside the bounds (" + text(u.lower) + ", " +
                                text(u.upper) + "), got " + text(u.init));
      if (u.log && !(u.lower > 0))
        throw fail(".bounds", "expected a positive lower bound with log: true, got " + text(u.lower));
    }
    if (u.log && !(u.init > 0)) throw fail(".init", "expected a positive value with log: true, got " + text(u.init));
    Unknown k;
    k.name = name;
    k.map.bounded = u.bounded;
    k.map.log = u.log;
    k.map.lo = u.lower;
    k.map.hi = u.upper;
    k.init = u.init;
    out.push_back(k);
  }
  return out;
}

Observations make_observations(const ProblemSpec& spec, const std::vector<std::string>& inputs,
                               const std::vector<std::string>& outputs, const std::string& source) {
  const ObservationSpec& o = spec.observations;
  Observations out;
  if (o.file.empty()) return out;
  const std::string key = "problem.observations";
  if (o.inputs.size() != inputs.size())
    throw InputError(input_message(source, key + ".inputs",
                                   "expected one column per problem input (" + join(inputs) + "), got " +
                                       std::to_string(o.inputs.size())));
  for (std::size_t j = 0; j < o.outputs.size(); ++j)
    if (std::find(outputs.begin(), outputs.end(), o.outputs[j]) == outputs.end())
      throw InputError(input_message(source, key + ".outputs[" + std::to_string(j) + "]",
                                     "expected one of the outputs " + join(outputs) + ", got '" + o.outputs[j] + "'"));
  const std::size_t n = o.outputs.empty() ? 0 : o.values.size() / o.outputs.size();
  PINNKIT_CHECK(o.points.size() == n * inputs.size(), "observation points and values of different counts");
  out.file = o.file;
  out.outputs = o.outputs;
  out.points = o.points;
  out.values = o.values;
  if (o.noise > 0) {
    HostRng rng("observations", o.noise_seed);
    const std::size_t m = o.outputs.size();
    for (std::size_t j = 0; j < m; ++j) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += o.values[i * m + j] * o.values[i * m + j];
      const double sigma = o.noise * std::sqrt(sum / std::max<std::size_t>(n, 1));
      for (std::size_t i = 0; i < n; ++i) out.values[i * m + j] += rng.normal(0.0, sigma);
    }
  }
  return out;
}

}  // namespace pinnkit::pde
