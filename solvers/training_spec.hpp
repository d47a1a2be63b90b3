#pragma once
/// \brief How to train: the typed form of `sampling:`, `loss:`, `training:`
/// and `evaluation:`.
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace pinnkit::solvers {

/// Residual-based adaptive refinement (RAR, Lu et al., DeepXDE): every
/// `every` first-order steps, the `add` points of largest |pde residual|
/// among `candidates` fresh interior points join the interior set for good
/// (they survive resampling), until it holds `max_points`.
struct RefineSpec {
  int every = 0;  ///< 0 = off
  int candidates = 10000;
  int add = 200;
  int max_points = 20000;
};

struct SamplingSpec {
  int interior = 2000;
  int boundary = 400;
  int initial = 400;
  std::string method = "sobol";  ///< an entry of sampler_registry()
  int resample_every = 0;        ///< 0 = never
  RefineSpec refine;
};

struct LossSpec {
  /// Weight per loss term: pde, boundary, initial, data.
  std::map<std::string, double> weights{{"pde", 1.0}, {"boundary", 1.0}, {"initial", 1.0}, {"data", 1.0}};
};

struct ScheduleSpec {
  std::string type = "constant";  ///< an entry of schedule_registry()
  double decay = 0.9;             ///< exponential/step: factor per `every` steps
  int every = 1000;
  double min_lr = 0.0;  ///< cosine: floor
};

/// Where a low-rank factor pair W += s B A lies in the flat parameter vector
/// (B: rows x rank at b_offset, A: rank x cols at a_offset, both row-major).
/// Not a config key: steppers get them from the adapters' structure
/// (trainable_factor_layouts, solvers/stepper.hpp).
struct FactorLayout {
  std::size_t b_offset = 0;
  std::size_t a_offset = 0;
  int rows = 0, rank = 0, cols = 0;
};

/// One optimisation stage; a config lists several (e.g. Adam then L-BFGS).
struct StageSpec {
  std::string optimizer = "adam";  ///< an entry of optimizer_registry(); other keys belong to entries
  double lr = 1e-3;
  int steps = 1000;
  ScheduleSpec schedule;
  std::array<double, 2> betas{0.9, 0.999};  ///< adam, adamw
  double eps = 1e-8;
  double weight_decay = 0.0;  ///< adamw
  double momentum = 0.9;      ///< sgd
  int history = 50;           ///< lbfgs
  double tolerance = 1e-9;    ///< lbfgs: stop when the gradient norm falls below
  /// adam, adamw: learning-rate factor per parameter group (ParamBlock::group),
  /// e.g. {"lora_B": 16} for LoRA+; groups not listed keep factor 1.
  std::map<std::string, double> group_lr;
  double damping = 1e-6;  ///< scaled_gd, odelora: delta added to the r x r Gram matrices
  std::string integrator = "rk4";  ///< odelora: euler | heun | rk4
  bool rebalance = false;          ///< odelora: retraction onto B^T B = A A^T after every step
};

struct EvaluationSpec {
  int every = 500;                ///< steps between evaluations, 0 = only at the end
  std::string points = "reference";  ///< reference | grid | sample
  std::vector<int> grid{101, 101};   ///< points per input axis when points = grid
  /// points = sample: this many Sobol points inside the domain (space x time),
  /// the same for every run seed; for domains a grid cannot cover (a ball in
  /// 10-d: a 5^10 grid is 10^7 points, most outside it).
  int samples = 10000;
};

/// The loss terms loss.weights may name.
const std::vector<std::string>& loss_terms();

}  // namespace pinnkit::solvers
