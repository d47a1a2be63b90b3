#pragma once
/// \brief How to train: the typed form of `sampling:`, `loss:`, `training:`
/// and `evaluation:`.
#include <array>
#include <map>
#include <string>
#include <vector>

namespace pinnkit::solvers {

struct SamplingSpec {
  int interior = 2000;
  int boundary = 400;
  int initial = 400;
  std::string method = "sobol";  ///< uniform | lhs | sobol | grid
  int resample_every = 0;        ///< 0 = never
};

struct LossSpec {
  /// Weight per loss term: pde, boundary, initial, data.
  std::map<std::string, double> weights{{"pde", 1.0}, {"boundary", 1.0}, {"initial", 1.0}, {"data", 1.0}};
};

struct ScheduleSpec {
  std::string type = "constant";  ///< constant | exponential | cosine | step
  double decay = 0.9;             ///< exponential/step: factor per `every` steps
  int every = 1000;
  double min_lr = 0.0;  ///< cosine: floor
};

/// One optimisation stage; a config lists several (e.g. Adam then L-BFGS).
struct StageSpec {
  std::string optimizer = "adam";  ///< adam | adamw | sgd | lbfgs
  double lr = 1e-3;
  int steps = 1000;
  ScheduleSpec schedule;
  std::array<double, 2> betas{0.9, 0.999};  ///< adam, adamw
  double eps = 1e-8;
  double weight_decay = 0.0;  ///< adamw
  double momentum = 0.9;      ///< sgd
  int history = 50;           ///< lbfgs
  double tolerance = 1e-9;    ///< lbfgs: stop when the gradient norm falls below
};

struct EvaluationSpec {
  int every = 500;                ///< steps between evaluations, 0 = only at the end
  std::string points = "reference";  ///< reference | grid
  std::vector<int> grid{101, 101};   ///< points per input axis when points = grid
};

/// Names accepted by the specs above.
const std::vector<std::string>& sampling_methods();
const std::vector<std::string>& optimizer_names();
const std::vector<std::string>& schedule_types();
const std::vector<std::string>& loss_terms();

}  // namespace pinnkit::solvers
