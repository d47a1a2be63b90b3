#pragma once
/// \brief The optimizers a training stage may name (`training[].optimizer`),
/// the learning-rate schedules (`training[].schedule.type`) and the point
/// samplers (`sampling.method`): one registry each (core/registry.hpp).
/// Adding an optimizer is its own files, one entry here and its stage keys
/// (StageSpec, io/config_schema.cpp): docs/design.md, "How to add".
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "solvers/stepper.hpp"
#include "solvers/unit_sampler.hpp"

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
/// cannot serve is an InputError before anything is trained or written.
void check_steppers(const std::vector<StageSpec>& stages, const models::ParamStore& store,
                    const adapters::AdapterStructure& structure, const std::string& file);

/// Learning rate at `step` (0-based) of a stage of `total_steps` steps.
using ScheduleRule = double (*)(const ScheduleSpec& schedule, double lr, int step, int total_steps);
using ScheduleEntry = RegistryEntry<ScheduleRule>;
const Registry<ScheduleEntry>& schedule_registry();

using SamplerBuilder = PointGenerator (*)(int dim, std::uint64_t seed);
struct SamplerCapabilities : BaseCapabilities {
  /// false: the generator may return another count than asked (grid: m^dim points).
  bool exact_count = true;
};
using SamplerEntry = RegistryEntry<SamplerBuilder, SamplerCapabilities>;
const Registry<SamplerEntry>& sampler_registry();

}  // namespace pinnkit::solvers
