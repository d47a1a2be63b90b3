#pragma once
/// \brief Runs the optimisation stages of a config: steps, resampling,
/// evaluation, progress, history, divergence detection and interruption.
///
/// Stages: adam, adamw, sgd (one gradient per step, learning-rate schedule,
/// resampling every `resample_every` steps) and lbfgs (`steps` = most
/// iterations; stops early at `tolerance` on the gradient inf-norm or on a
/// stalled loss; a line-search failure ends the stage with a note in
/// TrainResult::message and the next stage runs; training points stay fixed
/// during an lbfgs stage since its curvature pairs belong to one objective).
/// Frozen ParamStore blocks never move. History columns are the same for
/// every stage: step, stage, loss, loss_<term>, lr, grad_norm, step_length,
/// evals, time_s, rel_l2, interior_points (NaN where a column does not
/// apply; interior_points grows with residual-based refinement); first-order
/// stages write a row every `history_every` steps, lbfgs every iteration.
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "solvers/evaluator.hpp"
#include "solvers/objective.hpp"

namespace pinnkit::solvers {

enum class Outcome { completed, diverged, interrupted };

struct TrainerOptions {
  bool quiet = false;                                ///< no progress on stderr
  const std::atomic<bool>* stop_requested = nullptr;  ///< set by SIGINT/SIGTERM
  int history_every = 10;                             ///< steps between history rows
};

/// Receives every history row as it is made (e.g. to append it to the result
/// file, so that an interrupted run keeps its history).
using HistorySink = std::function<void(const std::map<std::string, double>&)>;

struct TrainResult {
  Outcome outcome = Outcome::completed;
  std::string message;  ///< why it or a stage stopped early, "; "-separated
  std::map<std::string, std::vector<double>> history;  ///< columns of equal length
  Evaluation evaluation;                                ///< at the returned parameters
  std::map<std::string, double> metrics;  ///< final_loss, steps, evaluations, times, errors
  int steps = 0;  ///< optimizer steps (lbfgs: iterations) over all stages
};

class Trainer {
 public:
  Trainer(models::Model& model, models::ParamStore& store, Objective& objective, const Evaluator& evaluator,
          const std::vector<StageSpec>& stages, const SamplingSpec& sampling,
          const EvaluationSpec& evaluation, TrainerOptions options);
  /// Trains; on divergence the parameters are those of the last finite loss.
  TrainResult run(const ExecSpace& exec, const HistorySink& on_history_row = {});

 private:
  struct Run;  ///< what the stages of one run() share
  void run_first_order(const ExecSpace& exec, int stage_index, Run& run);
  void run_lbfgs(const ExecSpace& exec, int stage_index, Run& run);

  models::Model& model_;
  models::ParamStore& store_;
  Objective& objective_;
  const Evaluator& evaluator_;
  std::vector<StageSpec> stages_;
  SamplingSpec sampling_;
  EvaluationSpec evaluation_;
  TrainerOptions options_;
};

const char* to_string(Outcome outcome);

}  // namespace pinnkit::solvers
