#pragma once
/// \brief The interface of first-order optimizers (Adam, AdamW, SGD, ScaledGD): one
/// update of the flat parameters from their gradient and a learning rate.
/// The trainer drives them through GradientStepper (solvers/stepper.hpp),
/// built by the optimizer registry (solvers/optimizer_registry.hpp).
#include <memory>

#include "core/kokkos.hpp"
#include "solvers/optimizer_entries.hpp"
#include "solvers/saved_state.hpp"

namespace pinnkit::solvers {

class FirstOrderOptimizer {
 public:
  virtual ~FirstOrderOptimizer() = default;
  /// One update of `params` (MemSpace, full flat vector) from `grads` (same
  /// size) with learning rate `lr`; entries outside the optimizer's
  /// TrainableEntries are neither read nor written.
  virtual void step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
                    double lr) = 0;
  /// The same on the default execution space instance.
  void step(const View1<Real>& params, const View1<const Real>& grads, double lr) {
    step(ExecSpace(), params, grads, lr);
  }
  /// What a checkpoint needs to continue bit for bit (moments, step count);
  /// nothing for an optimizer without memory between steps (SGD without
  /// momentum keeps its zero velocity, ScaledGD none at all).
  virtual void save(SavedState& /*state*/) const {}
  virtual void restore(const SavedState& /*state*/) {}
};

}  // namespace pinnkit::solvers
