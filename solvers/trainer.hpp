#pragma once
/// \brief Runs the optimisation stages of a config: steps, resampling,
/// evaluation, progress, history, divergence detection and interruption.
///
/// Every stage runs one loop over a Stepper built by the optimizer registry
/// (solvers/stepper.hpp, optimizer_registry.hpp): evaluate the state unless
/// the step already did, check for divergence, log, step. What differs
/// between optimizers are their registry capabilities: whether `lr` follows
/// the schedule, whether the points stay fixed during the stage (lbfgs: its
/// curvature pairs belong to one objective; otherwise resampling every
/// `resample_every` steps and refinement), whether a history row is written
/// every step (lbfgs) or every `history_every` steps. A stepper may end its
/// stage early (lbfgs at `tolerance` or a stalled loss) or fail a step (a
/// line-search failure: noted in TrainResult::message, the next stage runs).
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
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

enum class Outcome { completed, diverged, interrupted };

struct TrainerOptions {
  bool quiet = false;                                ///< no progress on stderr
  const std::atomic<bool>* stop_requested = nullptr;  ///< set by SIGINT/SIGTERM
  int history_every = 10;                             ///< steps between history rows
  /// The adapters' structure, for steppers that precondition or integrate factors.
  adapters::AdapterStructure structure;
  std::string file = "config";  ///< names the config in error messages
  /// Checkpoints (output.checkpoint_every): every `checkpoint_every` steps
  /// (0: never) and when a stop is requested, `on_checkpoint` receives the
  /// whole training state (parameters, stepper, point sets, counters).
  int checkpoint_every = 0;
  std::function<void(const SavedState&)> on_checkpoint;
  /// Continue from this checkpoint (of a run with the same config) instead
  /// of starting at step 0.
  const SavedState* resume = nullptr;
  /// Penalty terms and after-step actions of the adapters (rank allocation); not owned, may be null.
  TrainingHook* hook = nullptr;
};

/// Where a checkpoint resumes: the history rows it keeps (later rows of the
/// interrupted run are dropped: the resumed run writes them again).
int checkpoint_history_rows(const SavedState& state);

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
  /// Builds every stage's stepper once, so that a stage the run cannot
  /// serve (scaled_gd without factor pairs) is an InputError before training.
  Trainer(models::Model& model, models::ParamStore& store, Objective& objective, const Evaluator& evaluator,
          const std::vector<StageSpec>& stages, const SamplingSpec& sampling,
          const EvaluationSpec& evaluation, TrainerOptions options);
  /// Trains; on divergence the parameters are those of the last finite loss.
  TrainResult run(const ExecSpace& exec, const HistorySink& on_history_row = {});

 private:
  struct Run;  ///< what the stages of one run() share
  void run_stage(const ExecSpace& exec, int stage_index, Run& run);
  /// The state on_checkpoint receives: resume at iteration k of `stage_index`.
  SavedState checkpoint(const Stepper& stepper, int stage_index, int k, bool evaluated, const StepReport& report,
                        int history_rows, const Run& run) const;
  StepperSetup setup(int stage_index, const TrainableEntries& entries) const;

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
