#pragma once
/// \brief Adam and AdamW on a flat parameter View (Kingma & Ba 2015;
/// decoupled weight decay of Loshchilov & Hutter 2019).
#include "core/kokkos.hpp"

namespace pinnkit::solvers {

struct AdamSettings {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.0;  ///< decoupled (AdamW); 0 = plain Adam
};

class Adam {
 public:
  Adam(int n, const AdamSettings& settings);
  /// One update of `params` (device) from `grads` with learning rate `lr`.
  void step(const View1<Real>& params, const View1<const Real>& grads, double lr);
  int steps_taken() const { return t_; }

 private:
  AdamSettings s_;
  View1<Real> m_, v_;
  int t_ = 0;
};

}  // namespace pinnkit::solvers
