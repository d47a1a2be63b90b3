#include "solvers/lbfgs_stepper.hpp"

#include <limits>

#include "core/error.hpp"

namespace pinnkit::solvers {

LbfgsStepper::LbfgsStepper(const LbfgsSettings& settings, const TrainableEntries& entries)
    : settings_(settings), entries_(entries) {}

StepReport LbfgsStepper::report(const LbfgsIteration& it) const {
  StepReport r;
  r.evaluated = true;
  r.loss = last_;
  r.step_length = it.step;
  if (it.status != LbfgsStatus::running) {
    r.finished = true;
    r.message = it.message;
  }
  return r;
}

void LbfgsStepper::attach(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss) {
  oracle_ = &oracle;
  last_ = loss;
  // Trial points of the line search: written into the store's trainable
  // entries (frozen ones keep their values), evaluated, gradient packed.
  Oracle packed = [this, exec](const View1<const Real>& x, const View1<Real>& grad) {
    auto& store = oracle_->store();
    entries_.scatter(exec, x, store.params());
    last_ = oracle_->value_and_grad(exec);
    entries_.gather(exec, store.grads(), grad);
    return last_.total;
  };
  lbfgs_ = std::make_unique<Lbfgs>(entries_.size(), settings_, packed);
}

StepReport LbfgsStepper::begin(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss) {
  attach(exec, oracle, loss);
  auto& store = oracle.store();
  View1<Real> x0("pinnkit::solvers::LbfgsStepper::x0", entries_.size());
  View1<Real> g0("pinnkit::solvers::LbfgsStepper::g0", entries_.size());
  entries_.gather(exec, store.params(), x0);
  entries_.gather(exec, store.grads(), g0);
  LbfgsIteration it = lbfgs_->start_evaluated(exec, x0, loss.total, g0);
  StepReport r = report(it);
  r.evaluated = false;  // the state of begin() was evaluated by the caller
  r.step_length = std::numeric_limits<double>::quiet_NaN();
  return r;
}

StepReport LbfgsStepper::step(const ExecSpace& exec, StepOracle& oracle, double /*lr*/) {
  PINNKIT_CHECK(lbfgs_ && oracle_ == &oracle, "LbfgsStepper: step without begin on the same oracle");
  const LbfgsIteration it = lbfgs_->iterate(exec);
  if (it.status == LbfgsStatus::line_search_failed) {
    entries_.scatter(exec, lbfgs_->x(), oracle.store().params());  // back from the last trial point
    StepReport r;
    r.failed = true;
    r.message = it.message;
    return r;
  }
  return report(it);
}

void LbfgsStepper::save(SavedState& state) const {
  PINNKIT_CHECK(lbfgs_ != nullptr, "LbfgsStepper: save before begin");
  lbfgs_->save(state);
}

void LbfgsStepper::restore(const ExecSpace& exec, StepOracle& oracle, const LossValues& loss,
                           const SavedState& state) {
  attach(exec, oracle, loss);
  lbfgs_->restore(state);
}

}  // namespace pinnkit::solvers
