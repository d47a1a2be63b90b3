#pragma once
/// \brief Learning-rate schedules (`training[].schedule.type`): one registry
/// (core/registry.hpp) of rules lr(step) over a stage.
#include "core/registry.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

/// Learning rate at `step` (0-based) of a stage of `total_steps` steps.
using ScheduleRule = double (*)(const ScheduleSpec& schedule, double lr, int step, int total_steps);
using ScheduleEntry = RegistryEntry<ScheduleRule>;
/// constant; exponential: lr decay^(step/every) (smooth); step: lr
/// decay^floor(step/every); cosine: from lr down to min_lr over the stage.
const Registry<ScheduleEntry>& schedule_registry();

/// The rule of schedule.type (InputError for an unknown name).
double scheduled_lr(const ScheduleSpec& schedule, double lr, int step, int total_steps);

}  // namespace pinnkit::solvers
