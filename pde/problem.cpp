#include "pde/problem.hpp"

#include "core/error.hpp"
#include "pde/catalog.hpp"
#include "pde/custom_problem.hpp"
#include "pde/poisson.hpp"

namespace pinnkit::pde {

void Problem::exact(const ExecSpace&, View2<const Real>, View2<Real>) const {
  throw InternalError("exact() called on a problem without an exact solution");
}

std::unique_ptr<Problem> make_problem(const ProblemSpec& spec, const std::string& source) {
  for (int dim = 1; dim <= 3; ++dim)
    if (spec.pde == "poisson" + std::to_string(dim) + "d")
      return std::make_unique<Poisson>(dim, spec.params.at("a"));
  if (spec.pde == "custom") return std::make_unique<CustomProblem>(spec, source);
  const ProblemInfo* info = find_problem(spec.pde);
  if (info && info->build) return info->build(spec.params, source);
  if (info && info->as_custom) return std::make_unique<CustomProblem>(info->as_custom(spec.params), source);
  throw InputError(input_message(source, "problem.pde",
                                 "'" + spec.pde + "' is listed but cannot be built by this version yet"));
}

}  // namespace pinnkit::pde
