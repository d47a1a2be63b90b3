#pragma once
/// \brief ODELoRA (methods.md 4, reconstructed): LoRA factors trained by
/// integrating an ODE whose induced dW/dt is the full fine-tuning gradient
/// flow projected onto the tangent space of the rank-r manifold.
///
/// Per factor pair W += s B A (B: m x r, A: r x n), with gB = dL/dB and
/// gA = dL/dA from the store (both carry the factor s, see below),
///   P = B^T B + d I,  Q = A A^T + d I,  C = B^T gB  (= gA A^T),
///   solve P Z + Z Q = C                       (r x r Sylvester, Eigen)
///   dB/dt = -(gB - B Z) Q^-1,   dA/dt = -P^-1 (gA - Z A)
/// Undamped (d = 0): dB A + B dA = -s P_T(G) with G = dL/dW, so the induced
/// dW/dt = s (dB A + B dA) = -s^2 P_T(G) (s = 1 gives methods.md's field),
/// d/dt (B^T B - A A^T) = 0, and dW is invariant under (B, A) -> (B R, R^-1 A).
/// Trainable entries outside every pair follow plain gradient flow dx = -g;
/// frozen entries do not move.
///
/// The stepper integrates x' = F(x) with Euler, Heun (2 stages) or classical
/// RK4 (4 stages), step h = the stage's scheduled lr. Every stage evaluates
/// the oracle at its stage state (the trainer keeps the point set fixed
/// within a step). Optional rebalancing after each step: (B, A) -> (B R,
/// R^-1 A) with R = S^1/2, S = P^-1 # Q (geometric mean), which makes
/// B^T B = A A^T exactly and leaves B A unchanged.
///
/// Only the factors come to the host (r (m + n) numbers, for P and Q) and only
/// r x r matrices go back; B^T gB and the products with the gradients run as
/// Kokkos kernels where the gradients live.
#include <vector>

#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

enum class OdeLoraIntegrator { euler, heun, rk4 };

/// The names `training[].integrator` accepts, in enum order.
const std::vector<std::string>& odelora_integrators();
/// The integrator called `name` (InternalError for an unknown name: the schema checks names).
OdeLoraIntegrator odelora_integrator(const std::string& name);
/// Gradient evaluations per step: 1, 2, 4.
int odelora_stages(OdeLoraIntegrator integrator);

struct OdeLoraSettings {
  OdeLoraIntegrator integrator = OdeLoraIntegrator::rk4;
  double damping = 0.0;    ///< d >= 0 added to P and Q; 0 needs full-rank factors
  bool rebalance = false;  ///< retraction onto B^T B = A A^T after every step
  /// Ablations for tests and baselines (not config keys): Z = 0 gives
  /// ScaledGD's field; Z = 0 and P = Q = I give plain LoRA gradient flow.
  bool drop_z = false;
  bool drop_preconditioners = false;
};

class OdeLora : public Stepper {
 public:
  /// `factors` (flat layouts, all inside `entries`, disjoint) follow the
  /// ODELoRA field, the other entries plain gradient flow. InternalError when
  /// a pair lies outside `entries` or two pairs overlap.
  OdeLora(const TrainableEntries& entries, const std::vector<FactorLayout>& factors,
          const OdeLoraSettings& settings);

  StepReport step(const ExecSpace& exec, StepOracle& oracle, double lr) override;

  /// The field F(x) at `params` with gradient `grads` (full flat vectors),
  /// written to `out` (full; 0 on frozen entries). InputError-free: a
  /// singular P or Q (rank-deficient factor, d = 0) throws InternalError.
  void field(const ExecSpace& exec, const View1<const Real>& params, const View1<const Real>& grads,
             const View1<Real>& out);
  /// The rebalancing retraction of every pair, in place.
  void rebalance(const ExecSpace& exec, const View1<Real>& params);

  const OdeLoraSettings& settings() const { return s_; }

 private:
  struct Pair {
    FactorLayout at;
    HostView1<Real> b_host, a_host;
    View1<Real> small;  ///< [Q^-1, P^-1, Z] (3 r^2), or [R, R^-1] for rebalancing
    HostView1<Real> small_host;
    View1<double> cross;  ///< C = B^T gB (r^2), computed where the gradients live
    HostView1<double> cross_host;
  };
  void pair_field(const ExecSpace& exec, Pair& pair, const View1<const Real>& params,
                  const View1<const Real>& grads, const View1<Real>& out);
  void fetch_factors(const ExecSpace& exec, Pair& pair, const View1<const Real>& params);

  OdeLoraSettings s_;
  TrainableEntries entries_;
  std::vector<Pair> pairs_;
  View1<int> plain_;  ///< flat indices of the movable entries outside every pair
  View1<Real> x0_, acc_, k_;
};

}  // namespace pinnkit::solvers
