#pragma once
/// \brief Which PDE instance to solve: the typed form of the `problem:` section.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pinnkit::pde {

class Geometry;

/// One boundary or initial condition of a custom problem.
struct ConditionSpec {
  std::string type;             ///< dirichlet | neumann | robin | periodic | initial | initial_rate | operator
  std::vector<std::string> on;  ///< boundary parts, e.g. x_min; empty = whole boundary
  std::string value = "0";      ///< expression
  std::string output;           ///< which output it constrains; empty = the first
  double robin_alpha = 1.0;     ///< robin: alpha u + beta du/dn = value
  double robin_beta = 1.0;
  /// operator: any expression of the outputs and their derivatives (e.g.
  /// u_xx), held at `value` on the parts `on`.
  std::string expression = "";
};

/// A trainable coefficient (problem.unknowns.NAME).
struct UnknownSpec {
  double init = 0;
  bool bounded = false;
  double lower = 0, upper = 0;  ///< when bounded
  bool log = false;             ///< parametrised by log(value)
};

/// Measured values at fixed points (problem.observations). io fills
/// `points` and `values` from the file when it reads the config.
struct ObservationSpec {
  std::string file;                  ///< DATA.h5 or DATA.csv; empty = no observations
  std::vector<std::string> inputs;   ///< the file's columns/datasets of the inputs, in input order
  std::vector<std::string> outputs;  ///< the observed outputs (columns/datasets of these names)
  /// Synthetic noise: each observed output gets Gaussian noise of standard
  /// deviation noise * RMS(that output's values), drawn from a stream seeded
  /// by noise_seed. 0 = the values as read (measured data).
  double noise = 0;
  std::uint64_t noise_seed = 1;
  std::vector<double> points;  ///< n x inputs.size(), row-major
  std::vector<double> values;  ///< n x outputs.size(), row-major, as read
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
  /// Trainable coefficients by name: read in the equations and conditions
  /// in place of a parameter of the same name (which, when given, keeps its
  /// value for the exact solution and reference data).
  std::map<std::string, UnknownSpec> unknowns;
  ObservationSpec observations;
  /// Set by catalog families whose spatial domain is not the box of
  /// `domain` (e.g. a CSG shape); its dimension and axis names must match
  /// the spatial inputs. Null = the box.
  std::shared_ptr<const Geometry> geometry;
};

/// The exact-solution expressions of a spec, one per output as written
/// (`exact_list`, or `exact` as a list of one); empty = none.
std::vector<std::string> exact_expressions(const ProblemSpec& spec);

/// `built` (a catalog family's spec) with the inverse-problem parts of
/// `user` (unknowns, observations) added.
ProblemSpec with_inverse_parts(ProblemSpec built, const ProblemSpec& user);

/// Condition types a custom problem may use.
const std::vector<std::string>& condition_types();

}  // namespace pinnkit::pde
