#pragma once
/// \brief ScaledGD / Riemannian preconditioned LoRA (Zhang & Pilanci, ICML
/// 2024; methods.md 3): per factor pair W += s B A,
///   B <- B - lr dL/dB (A A^T + d I)^-1,   A <- A - lr (B^T B + d I)^-1 dL/dA,
/// both from the factors before the step. To first order the induced change
/// of B A is invariant under (B, A) -> (B S, S^-1 A). Trainable entries
/// outside every pair take a plain gradient step p <- p - lr g.
#include <vector>

#include "solvers/optimizer.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::solvers {

struct ScaledGdSettings {
  double damping = 1e-6;  ///< d >= 0; 0 needs full-rank factors (else the step is refused)
};

class ScaledGd : public FirstOrderOptimizer {
 public:
  /// Preconditions `factors` (flat layouts, all inside `entries`, disjoint)
  /// and moves the other entries by plain gradient descent. Throws
  /// InternalError when a pair lies outside `entries` or two pairs overlap.
  ScaledGd(const TrainableEntries& entries, const std::vector<FactorLayout>& factors,
           const ScaledGdSettings& settings);
  using FirstOrderOptimizer::step;
  /// `params` and `grads` are full flat MemSpace vectors. The r x r Grams are
  /// built and inverted on the host (Eigen) from host copies of the factors;
  /// the gradients never leave MemSpace (see scaled_gd.cpp).
  void step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
            double lr) override;

  /// A pair with its scratch: host copies of B and A, and [Q^-1, P^-1] (2 r^2) in both spaces.
  struct Pair {
    FactorLayout at;
    HostView1<Real> b_host, a_host;
    View1<Real> inverses;
    HostView1<Real> inverses_host;
  };
  /// Launches kernels: public for CUDA (nvcc allows no device lambda in a
  /// private or protected member function). Not for callers.
  void precondition(const ExecSpace& exec, Pair& pair, const View1<Real>& params,
                    const View1<const Real>& grads, double lr);

 private:
  ScaledGdSettings s_;
  TrainableEntries entries_;
  std::vector<Pair> pairs_;
  View1<int> plain_;  ///< flat indices of the movable entries outside every pair
};

}  // namespace pinnkit::solvers
