#include "solvers/schedule.hpp"

#include "solvers/optimizer_registry.hpp"

namespace pinnkit::solvers {

double scheduled_lr(const ScheduleSpec& s, double lr, int step, int total_steps) {
  return schedule_registry().get(s.type).build(s, lr, step, total_steps);
}

}  // namespace pinnkit::solvers
