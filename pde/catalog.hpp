#pragma once
/// \brief The problem catalog: named, parameterised PDE instance families.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pde/problem_spec.hpp"

namespace pinnkit::pde {
class Problem;
}

namespace pinnkit::pde {

struct ProblemInfo {
  using Spec = std::function<ProblemSpec(const std::map<std::string, double>&)>;
  using Build =
      std::function<std::unique_ptr<Problem>(const ProblemSpec& spec, const std::string& source)>;
  ProblemInfo(std::string name_, std::string description_, std::map<std::string, double> params,
              Spec as_custom_ = nullptr, Build build_ = nullptr)
      : name(std::move(name_)), description(std::move(description_)), default_params(std::move(params)),
        as_custom(std::move(as_custom_)), build(std::move(build_)) {}

  std::string name;
  std::string description;
  std::map<std::string, double> default_params;  ///< every parameter the family takes
  /// For families written in the expression language: the custom-problem
  /// spec of an instance (params complete). Empty for native problems.
  Spec as_custom;
  /// For families that need more than an expression spec (reference data,
  /// generators): builds the instance from the user's spec (params complete,
  /// and the inverse-problem parts to pass on, with_inverse_parts);
  /// `source` prefixes error messages.
  Build build;
};

/// Every problem `problem.pde` may name ("custom" included): the
/// closed-form families followed by those with reference data.
const std::vector<ProblemInfo>& catalog();
/// Families with a closed-form reference (catalog.cpp).
std::vector<ProblemInfo> closed_form_problems();
/// Families whose reference is a data file or a generator (catalog_data.cpp).
std::vector<ProblemInfo> data_problems();
/// The entry called `name`, or nullptr.
const ProblemInfo* find_problem(const std::string& name);

}  // namespace pinnkit::pde
