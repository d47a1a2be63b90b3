#include "pde/problem.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "pde/catalog.hpp"
#include "pde/custom_problem.hpp"
#include "pde/poisson.hpp"

namespace pinnkit::pde {

JetSpec jet_spec_for(int input_dim, const std::vector<Read>& reads) {
  std::vector<MultiIndex> alphas;
  std::vector<std::vector<int>> laplacians;
  for (const auto& read : reads) {
    if (read.laplacian.empty()) {
      alphas.push_back(read.alpha);
      continue;
    }
    auto axes = read.laplacian;
    std::sort(axes.begin(), axes.end());
    if (std::find(laplacians.begin(), laplacians.end(), axes) == laplacians.end()) laplacians.push_back(axes);
  }
  if (laplacians.size() == 1) return JetSpec(input_dim, alphas, laplacians.front());
  // Laplacians over different axis sets: each axis carries its own z_2.
  for (const auto& axes : laplacians)
    for (int a : axes) {
      MultiIndex alpha(input_dim, 0);
      if (a >= 0 && a < input_dim) alpha[a] = 2;
      alphas.push_back(alpha);
    }
  return JetSpec(input_dim, alphas);
}

DerivativeRecipe recipe_for(const JetSpec& spec, const Read& read) {
  return read.laplacian.empty() ? spec.recipe(read.alpha) : spec.laplacian_recipe(read.laplacian);
}

const std::vector<int>& Residual::unknowns() const {
  static const std::vector<int> none;
  return none;
}

const std::vector<Unknown>& Problem::unknowns() const {
  static const std::vector<Unknown> none;
  return none;
}

void Problem::exact(const ExecSpace&, View2<const Real>, View2<Real>) const {
  throw InternalError("exact() called on a problem without an exact solution");
}

std::unique_ptr<Problem> make_problem(const ProblemSpec& spec, const std::string& source) {
  const bool inverse = !spec.unknowns.empty() || !spec.observations.file.empty();
  for (int dim = 1; dim <= 3; ++dim)
    if (spec.pde == "poisson" + std::to_string(dim) + "d") {
      // The native Poisson residual reads no unknowns and fits no data.
      if (inverse)
        throw InputError(input_message(source, spec.unknowns.empty() ? "problem.observations" : "problem.unknowns",
                                       "a problem written in the expression language (custom or a catalog family "
                                       "other than poisson1d/2d/3d), got '" + spec.pde + "'"));
      return std::make_unique<Poisson>(dim, spec.params.at("a"));
    }
  if (spec.pde == "custom") return std::make_unique<CustomProblem>(spec, source);
  const ProblemInfo* info = find_problem(spec.pde);
  if (info && info->build) return info->build(spec, source);
  if (info && info->as_custom)
    return std::make_unique<CustomProblem>(with_inverse_parts(info->as_custom(spec.params), spec), source);
  throw InputError(input_message(source, "problem.pde",
                                 "'" + spec.pde + "' is listed but cannot be built by this version yet"));
}

}  // namespace pinnkit::pde
