#pragma once
/// \brief Which PDE instance to solve: the typed form of the `problem:` section.
#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pinnkit::pde {

class Geometry;

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
  std::string exact;  ///< exact solution of a one-output problem, empty = none
  /// Exact solution of a multi-output problem: one expression per output,
  /// in `outputs` order (the list form of `exact:`). Empty when `exact`
  /// (the single form) is used or there is none; never both.
  std::vector<std::string> exact_list;
  /// Set by catalog families whose spatial domain is not the box of
  /// `domain` (e.g. a CSG shape); its dimension and axis names must match
  /// the spatial inputs. Null = the box.
  std::shared_ptr<const Geometry> geometry;
};

/// The exact-solution expressions of a spec, one per output as written
/// (`exact_list`, or `exact` as a list of one); empty = none.
std::vector<std::string> exact_expressions(const ProblemSpec& spec);

/// Condition types a custom problem may use.
const std::vector<std::string>& condition_types();

}  // namespace pinnkit::pde
