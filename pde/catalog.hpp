#pragma once
/// \brief The problem catalog: named, parameterised PDE instance families.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pde/problem_spec.hpp"

namespace pinnkit::pde {

struct ProblemInfo {
  std::string name;
  std::string description;
  std::map<std::string, double> default_params;  ///< every parameter the family takes
  /// For families written in the expression language: the custom-problem
  /// spec of an instance (params complete). Empty for native problems.
  std::function<ProblemSpec(const std::map<std::string, double>&)> as_custom;
};

/// Every problem `problem.pde` may name ("custom" included).
const std::vector<ProblemInfo>& catalog();
/// The entry called `name`, or nullptr.
const ProblemInfo* find_problem(const std::string& name);

}  // namespace pinnkit::pde
