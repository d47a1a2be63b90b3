#include "solvers/lbfgs_objective_oracle.hpp"

namespace pinnkit::solvers {

ObjectiveOracle::ObjectiveOracle(Objective& objective, models::ParamStore& store,
                                 const TrainableEntries& entries, const ExecSpace& exec)
    : objective_(objective), store_(store), entries_(entries), exec_(exec) {}

double ObjectiveOracle::operator()(const View1<const Real>& x, const View1<Real>& grad) {
  entries_.scatter(exec_, x, store_.params());
  last_ = objective_.value_and_grad(exec_);
  entries_.gather(exec_, store_.grads(), grad);
  ++calls_;
  return last_.total;
}

Oracle ObjectiveOracle::as_oracle() {
  return [this](const View1<const Real>& x, const View1<Real>& grad) { return (*this)(x, grad); };
}

}  // namespace pinnkit::solvers
