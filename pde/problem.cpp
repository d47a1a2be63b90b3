#include "pde/problem.hpp"

#include "core/error.hpp"
#include "pde/custom_problem.hpp"
#include "pde/poisson.hpp"

namespace pinnkit::pde {

void Problem::exact(const ExecSpace&, View2<const Real>, View2<Real>) const {
  throw InternalError("exact() called on a problem without an exact solution");
}

std::unique_ptr<Problem> make_problem(const ProblemSpec& spec, const std::string& source) {
  if (spec.pde == "poisson2d") return std::make_unique<Poisson>(2, spec.params.at("a"));
  if (spec.pde == "custom") return std::make_unique<CustomProblem>(spec, source);
  throw InputError(input_message(source, "problem.pde",
                                 "'" + spec.pde + "' is listed but cannot be built by this version yet"));
}

}  // namespace pinnkit::pde
