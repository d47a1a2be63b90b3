#pragma once
/// \brief What the trainer lets an adapter's training rule do around its
/// steps without a stepper of its own: add penalty terms to every
/// evaluation of the loss (SubLoRA's orthogonality regulariser) and act
/// after each step (rank allocation, solvers/rank_allocation.hpp). Any
/// stepper then trains such an adapter unchanged.
#include "models/param_store.hpp"
#include "solvers/objective.hpp"
#include "solvers/saved_state.hpp"

namespace pinnkit::solvers {

class StepOracle;

class TrainingHook {
 public:
  virtual ~TrainingHook() = default;
  /// Called after every evaluation of the objective at store.params():
  /// adds penalty terms to `loss` (terms and total) and, with_grad, their
  /// gradients to store.grads().
  virtual void add_penalty(const ExecSpace& /*exec*/, models::ParamStore& /*store*/, LossValues& /*loss*/,
                           bool /*with_grad*/) {}
  /// Called after step `step` (steps done so far, 1-based) of `total`; on
  /// entry store().grads() holds the gradient the step used (first-order
  /// steppers). Returns true when it evaluated the oracle or changed the
  /// function, so the trainer must evaluate the state again.
  virtual bool after_step(const ExecSpace& /*exec*/, StepOracle& /*oracle*/, int /*step*/, int /*total*/) {
    return false;
  }
  /// Checkpoints: the hook's memory between steps (not the parameters,
  /// which the trainer saves), so that a resumed run continues bit for bit.
  virtual void save(SavedState& /*state*/) const {}
  virtual void restore(const SavedState& /*state*/) {}
};

}  // namespace pinnkit::solvers
