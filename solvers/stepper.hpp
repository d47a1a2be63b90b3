#pragma once
/// \brief The interface every optimizer implements: one step from x_k to
/// x_k+1 over an oracle that evaluates the loss and its gradient at any
/// state the step chooses (line searches, Runge-Kutta stages), with the
/// adapters' structure (factor pairs, Tucker factors, SVD triplets) given at
/// construction rather than guessed from the optimizer's name.
///
/// The trainer drives every stepper with one loop (solvers/trainer.cpp):
///   evaluate at x_0; begin();
///   repeat: check and log; step(); evaluate at x_k+1 unless the step did.
/// Steppers are built from a stage by the optimizer registry
/// (solvers/optimizer_registry.hpp).
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "models/param_store.hpp"
#include "solvers/objective.hpp"
#include "solvers/optimizer.hpp"
#include "solvers/optimizer_entries.hpp"
#include "solvers/training_hook.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

/// The loss a stepper minimises, seen through the parameter store.
class StepOracle {
 public:
  virtual ~StepOracle() = default;
  /// Loss at store().params(), its gradient written to store().grads()
  /// (every entry; frozen ones may hold anything).
  virtual LossValues value_and_grad(const ExecSpace& exec) = 0;
  virtual models::ParamStore& store() = 0;
  /// value_and_grad calls so far.
  int evaluations() const { return evaluations_; }
  /// A resumed run continues the count of the run it resumes.
  void continue_count(int evaluations) { evaluations_ = evaluations; }

 protected:
  int evaluations_ = 0;
};

/// The PINN objective as an oracle (the trainer's), plus the hook's penalty terms.
class ObjectiveStepOracle : public StepOracle {
 public:
  ObjectiveStepOracle(Objective& objective, models::ParamStore& store, TrainingHook* hook = nullptr)
      : objective_(objective), store_(store), hook_(hook) {}
  LossValues value_and_grad(const ExecSpace& exec) override {
    ++evaluations_;
    LossValues loss = objective_.value_and_grad(exec);
    if (hook_) hook_->add_penalty(exec, store_, loss, true);
    return loss;
  }
  models::ParamStore& store() override { return store_; }

 private:
  Objective& objective_;
  models::ParamStore& store_;
  TrainingHook* hook_;
};

/// What begin() or one step() did.
struct StepReport {
  /// The oracle's last call was at the new state: `loss` and store().grads()
  /// belong to it, and the trainer does not evaluate it again.
  bool evaluated = false;
  LossValues loss;
  double step_length = std::numeric_limits<double>::quiet_NaN();  ///< e.g. the line-search step
  /// The stage ends after this state is logged (converged, stalled); `message` says why.
  bool finished = false;
  /// The step could not be taken (e.g. a failed line search): the stepper has
  /// put store().params() back to x_k, and the stage ends with `message` noted.
  bool failed = false;
  std::string message;
};

class Stepper {
 public:
  virtual ~Stepper() = default;
  /// Called once at the stage's start: store().params() holds x_0 and the
  /// oracle's last call was at x_0 (`loss`; store().grads() is its gradient).
  virtual StepReport begin(const ExecSpace& /*exec*/, StepOracle& /*oracle*/, const LossValues& /*loss*/) {
    return {};
  }
  /// x_k -> x_k+1 in store().params(). On entry the oracle's last call was at
  /// x_k (store().grads() is its gradient); the step may call the oracle at
  /// other states as often as it needs. `lr` is the stage's scheduled rate.
  virtual StepReport step(const ExecSpace& exec, StepOracle& oracle, double lr) = 0;

  /// Checkpoints: what step() needs besides the parameters to continue bit
  /// for bit. restore() replaces begin() when a run resumes inside the
  /// stage: store().params() holds the saved state, the oracle's last call
  /// was there (`loss`; store().grads() is its gradient). A stepper without
  /// memory between steps (ODELoRA, whose stages all start from x_k) keeps
  /// the defaults.
  virtual void save(SavedState& /*state*/) const {}
  virtual void restore(const ExecSpace& /*exec*/, StepOracle& /*oracle*/, const LossValues& /*loss*/,
                       const SavedState& /*state*/) {}
};

/// Everything a stepper may be built from.
struct StepperSetup {
  const StageSpec& stage;
  const TrainableEntries& entries;
  const models::ParamStore& store;
  /// The adapters' structure (empty without adapters).
  const adapters::AdapterStructure& structure;
  /// For messages: the config file and the stage's key path ("training[1]").
  std::string file = "config";
  std::string key = "training[0]";
};

/// A first-order optimizer (Adam, SGD, ScaledGD: one gradient per step) as a stepper.
class GradientStepper : public Stepper {
 public:
  explicit GradientStepper(std::unique_ptr<FirstOrderOptimizer> optimizer) : optimizer_(std::move(optimizer)) {}
  StepReport step(const ExecSpace& exec, StepOracle& oracle, double lr) override {
    auto& store = oracle.store();
    optimizer_->step(exec, store.params(), store.grads(), lr);
    return {};
  }
  void save(SavedState& state) const override { optimizer_->save(state); }
  void restore(const ExecSpace&, StepOracle&, const LossValues&, const SavedState& state) override {
    optimizer_->restore(state);
  }

 private:
  std::unique_ptr<FirstOrderOptimizer> optimizer_;
};

/// The trainable factor pairs of `structure` as flat layouts in `store`
/// (pairs with a frozen block are left out).
std::vector<FactorLayout> trainable_factor_layouts(const models::ParamStore& store,
                                                   const adapters::AdapterStructure& structure);

/// The flat indices (MemSpace) of the movable entries outside every pair,
/// which factor-pair steppers move by a plain gradient step. Throws
/// InternalError (naming `who`) when a pair is empty, leaves the movable
/// entries or overlaps another.
View1<int> entries_outside_pairs(const TrainableEntries& entries, const std::vector<FactorLayout>& pairs,
                                 const std::string& who);

}  // namespace pinnkit::solvers
