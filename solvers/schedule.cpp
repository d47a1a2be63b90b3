#include "solvers/schedule.hpp"

#include <cmath>

#include "core/error.hpp"

namespace pinnkit::solvers {

double scheduled_lr(const ScheduleSpec& s, double lr, int step, int total_steps) {
  if (s.type == "constant") return lr;
  if (s.type == "exponential") return lr * std::pow(s.decay, static_cast<double>(step) / s.every);
  if (s.type == "step") return lr * std::pow(s.decay, static_cast<double>(step / s.every));
  if (s.type == "cosine") {
    const double pi = std::acos(-1.0);
    const double progress = total_steps > 1 ? static_cast<double>(step) / (total_steps - 1) : 1.0;
    return s.min_lr + 0.5 * (lr - s.min_lr) * (1 + std::cos(pi * progress));
  }
  throw InternalError("unknown schedule type '" + s.type + "'");
}

}  // namespace pinnkit::solvers
