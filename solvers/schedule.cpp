#include "solvers/schedule.hpp"

#include <cmath>

namespace pinnkit::solvers {

namespace {

double constant(const ScheduleSpec&, double lr, int, int) { return lr; }
double exponential(const ScheduleSpec& s, double lr, int step, int) {
  return lr * std::pow(s.decay, static_cast<double>(step) / s.every);
}
double stepwise(const ScheduleSpec& s, double lr, int step, int) {
  return lr * std::pow(s.decay, static_cast<double>(step / s.every));
}
double cosine(const ScheduleSpec& s, double lr, int step, int total_steps) {
  const double pi = std::acos(-1.0);
  const double progress = total_steps > 1 ? static_cast<double>(step) / (total_steps - 1) : 1.0;
  return s.min_lr + 0.5 * (lr - s.min_lr) * (1 + std::cos(pi * progress));
}

}  // namespace

const Registry<ScheduleEntry>& schedule_registry() {
  static const Registry<ScheduleEntry> registry{
      "schedules",
      "training[].schedule.type",
      {
          {"constant", "lr throughout the stage", constant, {}},
          {"exponential", "lr decay^(step/every), smooth", exponential, {{"decay", "every"}}},
          {"cosine", "from lr down to min_lr over the stage (half a cosine)", cosine, {{"min_lr"}}},
          {"step", "lr decay^floor(step/every)", stepwise, {{"decay", "every"}}},
      }};
  return registry;
}

double scheduled_lr(const ScheduleSpec& s, double lr, int step, int total_steps) {
  return schedule_registry().get(s.type).build(s, lr, step, total_steps);
}

}  // namespace pinnkit::solvers
