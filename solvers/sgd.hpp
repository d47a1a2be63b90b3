#pragma once
/// \brief Stochastic gradient descent with heavy-ball or Nesterov momentum
/// on a flat parameter View, in PyTorch's form (no dampening):
/// v <- mu v + g;  p <- p - lr v  (Nesterov: p <- p - lr (g + mu v)).
#include "solvers/optimizer.hpp"

namespace pinnkit::solvers {

struct SgdSettings {
  double momentum = 0.9;  ///< mu; 0 = plain gradient descent
  bool nesterov = false;
};

class Sgd : public FirstOrderOptimizer {
 public:
  /// Moves every entry of vectors of size `n`.
  Sgd(int n, const SgdSettings& settings);
  /// Moves (and keeps a velocity for) `entries` only.
  Sgd(const TrainableEntries& entries, const SgdSettings& settings);
  using FirstOrderOptimizer::step;
  void step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
            double lr) override;
  void save(SavedState& state) const override { state.put_view("velocity", velocity_); }
  void restore(const SavedState& state) override { state.get_view("velocity", velocity_); }

 private:
  SgdSettings s_;
  TrainableEntries entries_;
  View1<Real> velocity_;  ///< one entry per movable parameter, zero at the start
};

}  // namespace pinnkit::solvers
