#pragma once
/// \brief Adapts the PINN Objective to L-BFGS's Oracle: L-BFGS works on the
/// packed vector of trainable entries, the objective on the ParamStore.
///
/// Each call writes the trial point into the trainable entries of
/// store.params() (frozen entries keep their values), evaluates
/// value_and_grad and packs the trainable part of store.grads().
#include "models/param_store.hpp"
#include "solvers/lbfgs.hpp"
#include "solvers/objective.hpp"
#include "solvers/optimizer_entries.hpp"

namespace pinnkit::solvers {

class ObjectiveOracle {
 public:
  /// All references must outlive the oracle and every Oracle made by as_oracle().
  ObjectiveOracle(Objective& objective, models::ParamStore& store, const TrainableEntries& entries,
                  const ExecSpace& exec);

  /// Loss at x (packed, entries.size()); grad receives the packed gradient.
  double operator()(const View1<const Real>& x, const View1<Real>& grad);
  /// An Oracle that calls this object (by reference).
  Oracle as_oracle();

  /// Loss terms of the last call (those of L-BFGS's x() after a successful
  /// start() or iterate(), see Lbfgs::iterate).
  const LossValues& last() const { return last_; }
  int calls() const { return calls_; }

 private:
  Objective& objective_;
  models::ParamStore& store_;
  const TrainableEntries& entries_;
  ExecSpace exec_;
  LossValues last_;
  int calls_ = 0;
};

}  // namespace pinnkit::solvers
