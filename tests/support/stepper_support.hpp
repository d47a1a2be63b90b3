#pragma once
/// \brief Driving a stage's stepper by hand in optimizer tests.
#include <memory>

#include "solvers/optimizer_registry.hpp"

namespace pinnkit::solvers {

/// One step of the stage's stepper (optimizer registry) on the store's
/// current gradient: the gradient-only oracle never evaluates anything.
struct GradientOnlyOracle : StepOracle {
  explicit GradientOnlyOracle(models::ParamStore& s) : s_(s) {}
  LossValues value_and_grad(const ExecSpace&) override { return {}; }
  models::ParamStore& store() override { return s_; }
  models::ParamStore& s_;
};

inline std::unique_ptr<Stepper> stepper_for(const StageSpec& stage, models::ParamStore& store,
                                            const TrainableEntries& entries,
                                            const adapters::AdapterStructure& structure = {}) {
  return make_stepper(StepperSetup{stage, entries, store, structure, "t.yaml", "training[0]"});
}

}  // namespace pinnkit::solvers
