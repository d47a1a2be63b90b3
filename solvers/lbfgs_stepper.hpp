#pragma once
/// \brief L-BFGS (solvers/lbfgs.hpp) as a stepper: one quasi-Newton
/// iteration with its strong Wolfe line search per step, on the packed
/// vector of trainable entries. Each line-search trial writes its point into
/// the store and calls the oracle; after an accepted step the oracle's last
/// call was at the new point, so the trainer need not evaluate it again.
#include <memory>

#include "solvers/lbfgs.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

class LbfgsStepper : public Stepper {
 public:
  LbfgsStepper(const LbfgsSettings& settings, const TrainableEntries& entries);
  StepReport begin(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss) override;
  StepReport step(const ExecSpace& exec, StepOracle& oracle, double lr) override;
  void save(SavedState& state) const override;
  void restore(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss, const SavedState& state) override;

 private:
  /// Ends the stage when L-BFGS stopped at the state just reached.
  StepReport report(const LbfgsIteration& it) const;
  /// Binds `oracle` and builds the Lbfgs whose trial points go through it.
  void attach(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss);

  LbfgsSettings settings_;
  const TrainableEntries& entries_;
  StepOracle* oracle_ = nullptr;  ///< the oracle of begin(), which the trainer keeps alive
  LossValues last_;               ///< loss terms of the oracle's last call
  std::unique_ptr<Lbfgs> lbfgs_;
};

}  // namespace pinnkit::solvers
