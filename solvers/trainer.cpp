#include "solvers/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"
#include "solvers/optimizer_entries.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/schedule.hpp"

namespace pinnkit::solvers {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::completed: return "completed";
    case Outcome::diverged: return "diverged";
    case Outcome::interrupted: return "interrupted";
  }
  return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A loss that is NaN/Inf, or 1e8 times above the best seen and above the
/// first loss of the run, ends training. (Without the second condition a
/// first-order stage after an lbfgs stage that drove the loss to rounding
/// level, e.g. 1e-24, would count its first step as an explosion.)
bool exploded(double loss, double best, double first) {
  return !std::isfinite(loss) || (std::isfinite(best) && best > 0 && loss > 1e8 * best && loss > first);
}

void print_progress(int step, int total, const LossValues& loss, double rel_l2, double rate,
                    double seconds_left) {
  std::fprintf(stderr, "step %6d/%d  loss %.3e (", step, total, loss.total);
  const char* sep = "";
  for (const auto& [name, value] : loss.terms) {
    std::fprintf(stderr, "%s%s %.2e", sep, name.c_str(), value);
    sep = ", ";
  }
  std::fprintf(stderr, ")");
  if (!std::isnan(rel_l2)) std::fprintf(stderr, "  rel_l2 %.3e", rel_l2);
  std::fprintf(stderr, "  %.0f steps/s  %.0fs left\n", rate, seconds_left);
}

std::string stage_name(int index, const StageSpec& stage) {
  return "stage " + std::to_string(index) + " (" + stage.optimizer + ")";
}

/// One history row's optimizer columns; NaN where they do not apply.
struct RowExtras {
  double lr = nan, grad_norm = nan, step_length = nan;
};

}  // namespace

struct Trainer::Run {
  Run(Objective& objective, models::ParamStore& store, const std::vector<StageSpec>& stages,
      const HistorySink& sink, TrainingHook* hook)
      : entries(store),
        oracle(objective, store, hook),
        params(store.params()),
        last_good("pinnkit::solvers::Trainer::last_good", store.params().extent(0)),
        on_row(sink) {
    for (const auto& s : stages) total_steps += s.steps;
  }

  TrainResult result;
  TrainableEntries entries;
  ObjectiveStepOracle oracle;
  View1<Real> params, last_good;
  const HistorySink& on_row;
  const Objective* objective = nullptr;  ///< for the interior point count of each row
  const SavedState* resume = nullptr;    ///< a checkpoint the next stage continues from
  Clock::time_point t0 = Clock::now();
  int rows = 0;  ///< history rows recorded, the resumed run's included
  double best = std::numeric_limits<double>::infinity();
  double first = std::numeric_limits<double>::infinity();  ///< first finite loss
  int step = 0, total_steps = 0, evals = 0;

  bool running() const { return result.outcome == Outcome::completed; }

  void record(int stage, const LossValues& l, double rel_l2, const RowExtras& x) {
    std::map<std::string, double> row{{"step", step},          {"stage", stage},
                                      {"loss", l.total},       {"lr", x.lr},
                                      {"grad_norm", x.grad_norm}, {"step_length", x.step_length},
                                      {"evals", evals},        {"time_s", seconds_since(t0)},
                                      {"rel_l2", rel_l2}};
    for (const auto& [name, value] : l.terms) row["loss_" + name] = value;
    // Refinement grows the interior set: the history shows when and by how much.
    row["interior_points"] = objective ? objective->interior_points() : nan;
    // Trainable coefficients: their value at every row, to see them converge.
    if (objective)
      for (const auto& [name, value] : objective->unknown_values()) row["unknown_" + name] = value;
    for (const auto& [name, value] : row) result.history[name].push_back(value);
    ++rows;
    if (on_row) on_row(row);
  }

  bool stop_requested(const TrainerOptions& o) {
    if (!o.stop_requested || !o.stop_requested->load()) return false;
    result.outcome = Outcome::interrupted;
    note("stopped by a signal at step " + std::to_string(step));
    return true;
  }

  /// Divergence check of a fresh loss; keeps the parameters as the last good ones if not.
  bool diverged(const ExecSpace& exec, double loss) {
    if (exploded(loss, best, first)) {
      Kokkos::deep_copy(exec, params, last_good);
      result.outcome = Outcome::diverged;
      note("loss " + std::to_string(loss) + " at step " + std::to_string(step) +
           ", parameters of the last finite loss kept");
      return true;
    }
    if (!std::isfinite(first)) first = loss;
    best = std::min(best, loss);
    Kokkos::deep_copy(exec, last_good, params);
    return false;
  }

  /// Adds to the message rather than replacing it: a note of an earlier stage stays.
  void note(const std::string& text) { result.message += (result.message.empty() ? "" : "; ") + text; }
};

Trainer::Trainer(models::Model& model, models::ParamStore& store, Objective& objective,
                 const Evaluator& evaluator, const std::vector<StageSpec>& stages, const SamplingSpec& sampling,
                 const EvaluationSpec& evaluation, TrainerOptions options)
    : model_(model), store_(store), objective_(objective), evaluator_(evaluator), stages_(stages),
      sampling_(sampling), evaluation_(evaluation), options_(std::move(options)) {
  check_steppers(stages_, store_, options_.structure, options_.file);
}

StepperSetup Trainer::setup(int si, const TrainableEntries& entries) const {
  return StepperSetup{stages_[si], entries, store_, options_.structure, options_.file,
                      "training[" + std::to_string(si) + "]"};
}

void Trainer::run_stage(const ExecSpace& exec, int si, Run& run) {
  const auto& stage = stages_[si];
  const StepperSetup at = setup(si, run.entries);
  const OptimizerCapabilities& can =
      optimizer_registry().get(stage.optimizer, at.file, at.key + ".optimizer").capabilities;
  auto stepper = make_stepper(at);
  // Looked up once per stage, not by name on every step.
  const ScheduleRule schedule = schedule_registry().get(stage.schedule.type).build;
  LossValues loss;
  StepReport report;
  bool evaluated = false;  // whether `loss` and the gradient belong to the current state
  int k_first = 0;
  const bool resumed = run.resume != nullptr;
  if (resumed) {
    // A checkpoint resumes at the top of iteration k of this stage. A state
    // whose loss the interrupted run had computed is computed again (the
    // same points and parameters give the same bits), not counted twice.
    const SavedState& s = *run.resume;
    k_first = static_cast<int>(s.scalar("trainer.k"));
    evaluated = s.scalar("trainer.evaluated") != 0;
    report.step_length = s.scalar("trainer.step_length");
    report.finished = s.scalar("trainer.finished") != 0;
    if (const auto it = s.texts().find("trainer.report_message"); it != s.texts().end()) report.message = it->second;
    if (evaluated) {
      loss = run.oracle.value_and_grad(exec);  // through the oracle: hook penalties included
      run.oracle.continue_count(run.evals);
    }
    stepper->restore(exec, run.oracle, loss, s.sub("stepper"));
    run.resume = nullptr;
  }
  for (int k = k_first;; ++k) {
    if (!evaluated) {
      // A one-gradient stepper's last state is evaluated by the next stage or the final evaluation.
      if (k == stage.steps) return;
      if (!can.fixed_points && run.step > 0) {
        if (sampling_.resample_every > 0 && run.step % sampling_.resample_every == 0) objective_.resample();
        if (sampling_.refine.every > 0 && run.step % sampling_.refine.every == 0) objective_.refine(exec);
      }
      loss = run.oracle.value_and_grad(exec);
      run.evals = run.oracle.evaluations();
    }
    if (run.diverged(exec, loss.total)) return;
    if (k == 0 && !resumed) report = stepper->begin(exec, run.oracle, loss);
    const int rows_before = run.rows;
    const double lr = can.schedule ? schedule(stage.schedule, stage.lr, k, stage.steps) : nan;
    const bool evaluate_now = evaluation_.every > 0 && run.step % evaluation_.every == 0;
    if (evaluate_now || can.log_every_step || run.step % options_.history_every == 0) {
      const double rel_l2 = evaluate_now ? evaluator_.rel_l2(exec, model_) : nan;
      run.record(si, loss, rel_l2, {lr, run.entries.inf_norm(exec, store_.grads()), report.step_length});
      if (evaluate_now && !options_.quiet) {
        const double rate = run.step > 0 ? run.step / seconds_since(run.t0) : 0.0;
        print_progress(run.step, run.total_steps, loss, rel_l2, rate,
                       rate > 0 ? (run.total_steps - run.step) / rate : 0.0);
      }
    }
    if (report.finished) {
      if (!options_.quiet)
        std::fprintf(stderr, "%s converged at step %d: %s\n", stage_name(si, stage).c_str(), run.step,
                     report.message.c_str());
      return;
    }
    if (k == stage.steps) return;
    if (run.stop_requested(options_)) {
      // Resumes at this iteration: its row is written again, the step taken then.
      if (options_.on_checkpoint) options_.on_checkpoint(checkpoint(*stepper, si, k, true, report, rows_before, run));
      return;
    }
    report = stepper->step(exec, run.oracle, lr);
    run.evals = run.oracle.evaluations();
    if (report.failed) {
      run.note(stage_name(si, stage) + " stopped at step " + std::to_string(run.step) + ": " + report.message);
      if (!options_.quiet) std::fprintf(stderr, "%s\n", run.result.message.c_str());
      return;
    }
    evaluated = report.evaluated;
    if (evaluated) loss = report.loss;
    ++run.step;
    if (options_.hook && options_.hook->after_step(exec, run.oracle, run.step, run.total_steps)) {
      evaluated = false;
      run.evals = run.oracle.evaluations();
    }
    if (options_.checkpoint_every > 0 && options_.on_checkpoint && run.step % options_.checkpoint_every == 0)
      options_.on_checkpoint(checkpoint(*stepper, si, k + 1, evaluated, report, run.rows, run));
  }
}

SavedState Trainer::checkpoint(const Stepper& stepper, int si, int k, bool evaluated, const StepReport& report,
                               int history_rows, const Run& run) const {
  SavedState s;
  s.put_view("params", store_.params());
  s.put_view("last_good", run.last_good);
  s.put("trainer.stage", si);
  s.put("trainer.k", k);
  s.put("trainer.evaluated", evaluated ? 1.0 : 0.0);
  s.put("trainer.step", run.step);
  s.put("trainer.evals", run.oracle.evaluations());
  s.put("trainer.best", run.best);
  s.put("trainer.first", run.first);
  s.put("trainer.elapsed_s", seconds_since(run.t0));
  s.put("trainer.history_rows", history_rows);
  s.put("trainer.step_length", report.step_length);
  s.put("trainer.finished", report.finished ? 1.0 : 0.0);
  s.texts()["trainer.message"] = run.result.message;
  s.texts()["trainer.report_message"] = report.message;
  SavedState of_stepper, of_objective;
  stepper.save(of_stepper);
  objective_.save(of_objective);
  s.put_sub("stepper", of_stepper);
  s.put_sub("objective", of_objective);
  if (options_.hook) {
    SavedState of_hook;
    options_.hook->save(of_hook);
    s.put_sub("hook", of_hook);
  }
  return s;
}

int checkpoint_history_rows(const SavedState& state) {
  return static_cast<int>(state.scalar("trainer.history_rows"));
}

TrainResult Trainer::run(const ExecSpace& exec, const HistorySink& on_history_row) {
  Run run(objective_, store_, stages_, on_history_row, options_.hook);
  run.objective = &objective_;
  std::size_t first_stage = 0;
  if (const SavedState* s = options_.resume) {
    if (options_.hook) options_.hook->restore(s->sub("hook"));
    const double stage = s->scalar("trainer.stage");
    if (!(stage >= 0 && stage < static_cast<double>(stages_.size())))
      throw InputError("checkpoint: trainer.stage: expected a stage of this config (0.." +
                       std::to_string(stages_.size() - 1) + "), got " + std::to_string(stage));
    first_stage = static_cast<std::size_t>(stage);
    s->get_view("params", run.params);
    s->get_view("last_good", run.last_good);
    run.step = static_cast<int>(s->scalar("trainer.step"));
    run.evals = static_cast<int>(s->scalar("trainer.evals"));
    run.oracle.continue_count(run.evals);
    run.best = s->scalar("trainer.best");
    run.first = s->scalar("trainer.first");
    run.rows = checkpoint_history_rows(*s);
    run.t0 -= std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s->scalar("trainer.elapsed_s")));
    if (const auto it = s->texts().find("trainer.message"); it != s->texts().end()) run.result.message = it->second;
    objective_.restore(s->sub("objective"));
    run.resume = s;
  } else {
    Kokkos::deep_copy(exec, run.last_good, run.params);
  }
  for (std::size_t si = first_stage; si < stages_.size() && run.running(); ++si)
    run_stage(exec, static_cast<int>(si), run);
  exec.fence();
  TrainResult& result = run.result;
  const double train_time = seconds_since(run.t0);
  // The final row and evaluation describe the parameters that are returned.
  LossValues final_loss = objective_.value(exec);
  if (options_.hook) options_.hook->add_penalty(exec, store_, final_loss, false);
  result.evaluation = evaluator_.evaluate(exec, model_);
  run.record(static_cast<int>(stages_.size()) - 1, final_loss,
             result.evaluation.has_reference() ? result.evaluation.rel_l2 : nan, {});
  result.steps = run.step;
  auto& m = result.metrics;
  m["final_loss"] = final_loss.total;
  m["train_time_s"] = train_time;
  m["steps"] = run.step;
  m["evaluations"] = run.evals;
  m["steps_per_s"] = train_time > 0 ? run.step / train_time : 0.0;
  for (const auto& [name, value] : objective_.unknown_values()) m["unknown_" + name] = value;
  if (result.evaluation.has_reference()) {
    m["rel_l2"] = result.evaluation.rel_l2;
    m["max_abs_err"] = result.evaluation.max_abs_err;
  }
  if (!options_.quiet) {
    std::fprintf(stderr, "%s after %d steps in %.1fs: loss %.3e", to_string(result.outcome), run.step,
                 train_time, final_loss.total);
    if (result.evaluation.has_reference())
      std::fprintf(stderr, "  rel_l2 %.3e  max_abs_err %.3e", result.evaluation.rel_l2,
                   result.evaluation.max_abs_err);
    std::fprintf(stderr, "\n");
  }
  return std::move(result);
}

}  // namespace pinnkit::solvers
