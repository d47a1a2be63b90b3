#pragma once
/// \brief The problem catalog: named, parameterised PDE instance families.
#include <map>
#include <string>
#include <vector>

namespace pinnkit::pde {

struct ProblemInfo {
  std::string name;
  std::string description;
  std::map<std::string, double> default_params;  ///< every parameter the family takes
};

/// Every problem `problem.pde` may name ("custom" included).
const std::vector<ProblemInfo>& catalog();
/// The entry called `name`, or nullptr.
const ProblemInfo* find_problem(const std::string& name);

}  // namespace pinnkit::pde
