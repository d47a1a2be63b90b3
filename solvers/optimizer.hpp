#pragma once
/// \brief The interface of first-order optimizers (Adam, AdamW, SGD, ScaledGD): one
/// update of the flat parameters from their gradient and a learning rate.
#include <memory>

#include "core/kokkos.hpp"
#include "solvers/optimizer_entries.hpp"
#include "solvers/training_spec.hpp"

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
};

/// The first-order optimizer of a stage (adam, adamw, sgd or scaled_gd) over
/// `entries`; scaled_gd preconditions stage.factors. Throws InternalError for
/// lbfgs, an unknown name (the config validates it) or scaled_gd without factors.
std::unique_ptr<FirstOrderOptimizer> make_first_order(const StageSpec& stage,
                                                      const TrainableEntries& entries);

}  // namespace pinnkit::solvers
