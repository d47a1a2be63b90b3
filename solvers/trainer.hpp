#pragma once
/// \brief Runs the optimisation stages of a config: steps, resampling,
/// evaluation, progress, history, divergence detection and interruption.
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
  std::string message;  ///< why it stopped early, if it did
  std::map<std::string, std::vector<double>> history;  ///< columns of equal length
  Evaluation evaluation;                                ///< at the returned parameters
  std::map<std::string, double> metrics;
  int steps = 0;
};

class Trainer {
 public:
  Trainer(models::Model& model, models::ParamStore& store, Objective& objective, const Evaluator& evaluator,
          const std::vector<StageSpec>& stages, const SamplingSpec& sampling,
          const EvaluationSpec& evaluation, TrainerOptions options);
  /// Trains; on divergence the parameters are those of the last finite loss.
  TrainResult run(const ExecSpace& exec, const HistorySink& on_history_row = {});

 private:
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
