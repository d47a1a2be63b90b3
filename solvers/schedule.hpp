#pragma once
/// \brief Learning-rate schedules (constant, exponential, cosine, step).
#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

/// Learning rate at `step` (0-based) of a stage of `total_steps` steps.
/// exponential: lr decay^(step/every) (smooth); step: lr decay^floor(step/every);
/// cosine: from lr down to min_lr over the stage.
double scheduled_lr(const ScheduleSpec& schedule, double lr, int step, int total_steps);

}  // namespace pinnkit::solvers
