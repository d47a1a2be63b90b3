#pragma once
/// \brief The optimizers a training stage may name (`training[].optimizer`):
/// a registry (core/registry.hpp) of stepper builders. The schedules are in
/// solvers/schedule.hpp, the samplers in solvers/unit_sampler.hpp.
/// Adding an optimizer is its own files, one entry here and its stage keys
/// (StageSpec, io/config_schema.cpp): docs/design.md, "How to add".
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

/// Builds the stage's stepper; throws InputError naming setup.file and
/// setup.key when the run cannot give it what it needs (e.g. factor pairs).
using StepperBuilder = std::function<std::unique_ptr<Stepper>(const StepperSetup& setup)>;

struct OptimizerCapabilities : BaseCapabilities {
  /// The stage's `lr` follows its schedule (lbfgs: lr is the first trial step only).
  bool schedule = true;
  /// Honours training[].group_lr (per-group learning-rate factors).
  bool group_lr = false;
  /// Its state belongs to one point set: no resampling or refinement during the stage.
  bool fixed_points = false;
  /// A history row every step (each is costly and worth seeing), not every history_every.
  bool log_every_step = false;
};

using OptimizerEntry = RegistryEntry<StepperBuilder, OptimizerCapabilities>;
const Registry<OptimizerEntry>& optimizer_registry();
/// The stepper of setup.stage.optimizer (InputError for an unknown name).
std::unique_ptr<Stepper> make_stepper(const StepperSetup& setup);

/// Builds (and drops) the stepper of every stage, so that a stage the run
/// cannot serve is an InputError before anything is trained or written; so
/// is a learning-rate stage whose optimizer ignores the per-block rate
/// factors some trainable block carries (ParamBlock::lr_factor).
void check_steppers(const std::vector<StageSpec>& stages, const models::ParamStore& store,
                    const adapters::AdapterStructure& structure, const std::string& file);

}  // namespace pinnkit::solvers
