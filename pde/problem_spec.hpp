#pragma once
/// \brief Which PDE instance to solve: the typed form of the `problem:` section.
#include <array>
#include <map>
#include <string>
#include <vector>

namespace pinnkit::pde {

/// One boundary or initial condition of a custom problem.
struct ConditionSpec {
  std::string type;             ///< dirichlet | neumann | robin | periodic | initial | initial_rate
  std::vector<std::string> on;  ///< boundary parts, e.g. x_min; empty = whole boundary
  std::string value = "0";      ///< expression
  std::string output;           ///< which output it constrains; empty = the first
  double robin_alpha = 1.0;     ///< robin: alpha u + beta du/dn = value
  double robin_beta = 1.0;
};

struct ProblemSpec {
  std::string pde = "poisson2d";  ///< catalog name or "custom"
  std::map<std::string, double> params;
  // custom problems only
  std::vector<std::string> inputs;
  std::map<std::string, std::array<double, 2>> domain;
  std::vector<std::string> outputs{"u"};
  std::vector<std::string> equations;
  std::vector<ConditionSpec> conditions;
  std::string exact;  ///< expression of the exact solution, empty = none
};

/// Condition types a custom problem may use.
const std::vector<std::string>& condition_types();

}  // namespace pinnkit::pde
