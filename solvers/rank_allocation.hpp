#pragma once
/// \brief Joint training of SVD-form adapters as AdaLoRA does it (methods.md
/// 5), with the component choice left to a selection rule
/// (solvers/rank_selection.hpp: SubLoRA's greedy, AdaLoRA's score, ...).
///
/// A TrainingHook (solvers/training_hook.hpp), so any stepper trains the
/// adapter unchanged:
/// - every evaluation of the loss gets the term "orthogonality"
///   gamma sum_layers (|P^T P - I|_F^2 + |Q Q^T - I|_F^2) and its gradient
///   4 gamma P (P^T P - I), 4 gamma (Q Q^T - I) Q;
/// - after every step, pruned singular values are put back to 0 (a stepper
///   with momentum would move them; they are masked out of the function
///   anyway), and AdaLoRA's smoothed scores are updated when the rule reads them;
/// - at allocation steps (allocation_step()), the rule picks exactly
///   scheduled_budget() of the R pooled components from (s, g, H or the
///   scores); the others are masked and their s set to 0. The masks and
///   their history go to /adapter.
/// The cubic schedule is AdaLoRA's (PEFT's budget_schedule), with T the run's total steps:
///   b(t) = b0                                              t <= t_i
///   b(t) = bT + floor((b0 - bT) (1 - (t - t_i) / (T - t_i - t_f))^3)   t_i < t <= T - t_f
///   b(t) = bT                                              t > T - t_f
#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "adapters/adapter_spec.hpp"
#include "solvers/rank_selection.hpp"
#include "solvers/svd_second_order.hpp"
#include "solvers/training_hook.hpp"

namespace pinnkit::solvers {

/// b(t) above; `components` = R is b0 when budget.initial is 0.
int scheduled_budget(const adapters::RankBudgetSpec& budget, int components, int step, int total);
/// Whether step t allocates: budget.target > 0, t_i < t <= T - t_f and
/// ((t - t_i) a multiple of Delta, or t = T - t_f, which fixes the final bT components).
bool allocation_step(const adapters::RankBudgetSpec& budget, int step, int total);

/// gamma sum (|P^T P - I|^2 + |Q Q^T - I|^2) over the triplets; with_grad
/// adds its gradient to store.grads().
double orthogonality_penalty(const ExecSpace& exec, models::ParamStore& store,
                             const std::vector<adapters::SvdTriplet>& svd, double gamma, bool with_grad);

/// One allocation, for /adapter.
struct Allocation {
  int step = 0, budget = 0;
  double seconds = 0;        ///< wall time of the allocation (second-order information included)
  Eigen::VectorXd mask;      ///< R entries, after it
  /// The loss just before and just after the masks changed (the pruning's
  /// measured effect; the orthogonality term does not depend on the masks),
  /// and the second-order model's prediction f(T) of that change (NaN for
  /// rules without H).
  double loss_before = 0, loss_after = 0, predicted_change = 0;
};

class RankAllocator : public TrainingHook {
 public:
  /// Checks the budget against R and `total_steps` (InputError naming
  /// `file` and the adapter.budget key); gauss_newton needs `residuals`.
  RankAllocator(const models::ParamStore& store, const adapters::AdapterStructure& structure,
                const adapters::AdapterSpec& spec, int total_steps, std::uint64_t seed,
                ResidualFunction residuals, const std::string& file);

  void add_penalty(const ExecSpace& exec, models::ParamStore& store, LossValues& loss, bool with_grad) override;
  bool after_step(const ExecSpace& exec, StepOracle& oracle, int step, int total) override;

  /// Keeps exactly min(budget, R) components by the rule; returns the new mask.
  const Eigen::VectorXd& allocate(const ExecSpace& exec, StepOracle& oracle, int step, int budget);
  const SvdComponents& components() const { return components_; }
  const std::vector<Allocation>& history() const { return history_; }
  /// The allocation history as /adapter arrays and attributes ("allocation.*").
  void add_state(adapters::AdapterState& state) const;
  /// Checkpoints: the current mask, the allocations so far and AdaLoRA's scores.
  void save(SavedState& state) const override;
  void restore(const SavedState& state) override;

 private:
  SvdComponents components_;
  adapters::AdapterSpec spec_;
  const SelectionEntry& rule_;
  HessianMethod hessian_;
  std::uint64_t seed_;
  ResidualFunction residuals_;
  std::unique_ptr<AdaloraScore> adalora_;  ///< when the rule reads it
  Eigen::VectorXd mask_;
  bool pruned_any_ = false;
  std::vector<Allocation> history_;
};

}  // namespace pinnkit::solvers
