#include "solvers/trainer.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"
#include "solvers/adam.hpp"
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

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// A loss that is NaN/Inf, or 1e8 times above the best seen, ends training.
bool exploded(double loss, double best) {
  return !std::isfinite(loss) || (std::isfinite(best) && best > 0 && loss > 1e8 * best);
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

}  // namespace

Trainer::Trainer(models::Model& model, models::ParamStore& store, Objective& objective, const Evaluator& evaluator,
                 const std::vector<StageSpec>& stages, const SamplingSpec& sampling,
                 const EvaluationSpec& evaluation, TrainerOptions options)
    : model_(model), store_(store), objective_(objective), evaluator_(evaluator), stages_(stages),
      sampling_(sampling), evaluation_(evaluation), options_(options) {
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    const auto& opt = stages_[i].optimizer;
    if (opt != "adam" && opt != "adamw")
      throw InputError(input_message("config", "training[" + std::to_string(i) + "].optimizer",
                                     "this version trains with adam or adamw; '" + opt +
                                         "' is not available yet"));
  }
}

TrainResult Trainer::run(const ExecSpace& exec, const HistorySink& on_history_row) {
  TrainResult result;
  auto params = store_.params();
  View1<Real> last_good("pinnkit::solvers::Trainer::last_good", params.extent(0));
  Kokkos::deep_copy(exec, last_good, params);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  int total_steps = 0;
  for (const auto& s : stages_) total_steps += s.steps;
  const auto t0 = Clock::now();
  double best = std::numeric_limits<double>::infinity();
  LossValues loss;
  int step = 0;
  auto record = [&](int stage, double lr, const LossValues& l, double rel_l2) {
    std::map<std::string, double> row{{"step", step},   {"stage", stage},
                                      {"loss", l.total}, {"lr", lr},
                                      {"time_s", seconds_since(t0)}, {"rel_l2", rel_l2}};
    for (const auto& [name, value] : l.terms) row["loss_" + name] = value;
    for (const auto& [name, value] : row) result.history[name].push_back(value);
    if (on_history_row) on_history_row(row);
  };

  for (std::size_t si = 0; si < stages_.size() && result.outcome == Outcome::completed; ++si) {
    const auto& stage = stages_[si];
    AdamSettings settings{stage.betas[0], stage.betas[1], stage.eps,
                          stage.optimizer == "adamw" ? stage.weight_decay : 0.0};
    Adam adam(static_cast<int>(params.extent(0)), settings);
    for (int k = 0; k < stage.steps; ++k) {
      if (options_.stop_requested && options_.stop_requested->load()) {
        result.outcome = Outcome::interrupted;
        result.message = "stopped by a signal at step " + std::to_string(step);
        break;
      }
      if (sampling_.resample_every > 0 && step > 0 && step % sampling_.resample_every == 0)
        objective_.resample();
      loss = objective_.value_and_grad(exec);
      if (exploded(loss.total, best)) {
        Kokkos::deep_copy(exec, params, last_good);
        result.outcome = Outcome::diverged;
        result.message = "loss " + std::to_string(loss.total) + " at step " + std::to_string(step) +
                         "; parameters of the last finite loss kept";
        break;
      }
      best = std::min(best, loss.total);
      Kokkos::deep_copy(exec, last_good, params);
      const double lr = scheduled_lr(stage.schedule, stage.lr, k, stage.steps);
      const bool evaluate_now = evaluation_.every > 0 && step % evaluation_.every == 0;
      if (evaluate_now || step % options_.history_every == 0) {
        const double rel_l2 = evaluate_now ? evaluator_.evaluate(exec, model_).rel_l2 : nan;
        record(static_cast<int>(si), lr, loss, rel_l2);
        if (evaluate_now && !options_.quiet) {
          const double elapsed = seconds_since(t0);
          const double rate = step > 0 ? step / elapsed : 0.0;
          print_progress(step, total_steps, loss, rel_l2, rate, rate > 0 ? (total_steps - step) / rate : 0.0);
        }
      }
      adam.step(params, store_.grads(), lr);
      ++step;
    }
  }
  exec.fence();
  const double train_time = seconds_since(t0);
  // The final row and evaluation describe the parameters that are returned.
  const LossValues final_loss = objective_.value(exec);
  result.evaluation = evaluator_.evaluate(exec, model_);
  record(static_cast<int>(stages_.size()) - 1, nan, final_loss,
         result.evaluation.has_reference() ? result.evaluation.rel_l2 : nan);
  result.steps = step;
  auto& m = result.metrics;
  m["final_loss"] = final_loss.total;
  m["train_time_s"] = train_time;
  m["steps"] = step;
  m["steps_per_s"] = train_time > 0 ? step / train_time : 0.0;
  if (result.evaluation.has_reference()) {
    m["rel_l2"] = result.evaluation.rel_l2;
    m["max_abs_err"] = result.evaluation.max_abs_err;
  }
  if (!options_.quiet) {
    std::fprintf(stderr, "%s after %d steps in %.1fs: loss %.3e", to_string(result.outcome), step,
                 train_time, final_loss.total);
    if (result.evaluation.has_reference())
      std::fprintf(stderr, "  rel_l2 %.3e  max_abs_err %.3e", result.evaluation.rel_l2,
                   result.evaluation.max_abs_err);
    std::fprintf(stderr, "\n");
  }
  return result;
}

}  // namespace pinnkit::solvers
