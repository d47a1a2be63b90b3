#pragma once
/// \brief Stable feature learning (docs/methods.md 4): the size of the
/// feature updates of a LoRA-adapted n x n layer after one optimizer step,
/// as a function of the width n. Shared by benchmarks/feature_learning.cpp
/// (the sweep 64 ... 4096) and tests/solvers/test_feature_learning.cpp.
///
/// Network (fixed inputs x_i in R^d, i = 1..N, fixed targets y_i ~ N(0, 1)):
///   h_i = tanh(W1 x_i)                 W1: n x d, entries N(0, 1/d)
///   z_i = (W0 + s B A) h_i             W0: n x n, entries N(0, 1/n); s = 1
///   f_i = c v^T tanh(z_i)              v ~ N(0, I_n); c = 1/n (muP readout)
///                                      or 1/sqrt(n) (standard readout)
///   L = 1/(2N) sum_i (f_i - y_i)^2
/// so that h and z have Theta(1) coordinates at every width. Only B (n x r)
/// and A (r x n) train; W0 is shifted by -s B0 A0, so every init leaves the
/// network as it was. G = dL/dW = Delta H^T with Delta = dL/dZ (n x N) and
/// H = [h_1 ... h_N] (n x N), never formed: dL/dB = s Delta (A H)^T,
/// dL/dA = s (B^T Delta) H^T.
///
/// Feature update of one step (B0, A0) -> (B1, A1), as in LoRA+ (Hayou et
/// al. 2024): the adapter's output s B A H changes by
///   delta_B = s (B1 - B0) A0 H   (B's update)
///   delta_A = s B0 (A1 - A0) H   (A's update)
///   delta_BA = s (B1 - B0) (A1 - A0) H,  total = the sum of the three,
///   first_order = delta_B + delta_A,
/// and "per-coordinate size" is the RMS over the n N entries:
/// ||X||_F / sqrt(n N). Stable feature learning at a fixed step size means
/// these RMS values do not depend on n (log-log slope 0).
///
/// Inits (the same product B0 A0 = sigma^2 U V^T for both factorizations):
///   subspaces  aligned: U, V = top-r singular vectors of the first
///              gradient G0 (LoRA-One / the library's `spectral` init up to
///              scale); random: orthonormal Gaussian (the library's
///              `balanced_random` up to scale), averaged over
///              FeatureSetup::random_draws draws.
///   factors    balanced: B0 = sigma U, A0 = sigma V^T (B^T B = A A^T);
///              fanin: B0 = sigma sqrt(n/r) U, A0 = sigma sqrt(r/n) V^T (each
///              factor at the spectral norm sqrt(fan_out/fan_in) of muP: B's
///              entries Theta(1), A's Theta(1/n)).
/// Methods, one step each through the library's steppers (solvers/):
/// odelora_euler, odelora_rk4 (OdeLora, damping 0), scaled_gd (ScaledGd,
/// damping 0), lora_sgd (Sgd, no momentum), lora_adam (Adam), lora_plus
/// (Adam with group_lr lora_B = 16), and full_gd, the reference: one
/// gradient step on W itself, total = -lr G H (no factors).
#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pinnkit::bench {

enum class Readout { mup, standard };
enum class Subspaces { aligned, random };
enum class Factors { balanced, fanin };

const char* name(Readout readout);
const char* name(Subspaces subspaces);
const char* name(Factors factors);

/// The methods, in table order.
const std::vector<std::string>& feature_methods();

struct FeatureSetup {
  int inputs = 8;       ///< d
  int batch = 32;       ///< N
  int rank = 4;         ///< r
  double sigma = 1.0;   ///< spectral norm of B0 A0 is sigma^2
  /// Random subspaces: independent draws of (U, V) per width; the RMS values
  /// are over all of them (sqrt of the mean square), since r = 4 random
  /// directions alone give chi-square noise of a factor 2 between widths.
  int random_draws = 16;
  std::uint64_t seed = 1;
};

struct FeatureCase {
  Readout readout = Readout::mup;
  Subspaces subspaces = Subspaces::aligned;
  Factors factors = Factors::balanced;
  std::string method;  ///< an entry of feature_methods()
  double lr = 0.1;
};

struct FeatureUpdate {
  int width = 0;
  double feature_rms = 0;  ///< RMS of z at the start (Theta(1) by construction)
  double delta_b = 0, delta_a = 0, delta_ba = 0, total = 0;  ///< RMS values, see above
  /// RMS of delta_B + delta_A (the first-order part; for ODELoRA and ScaledGD
  /// it depends on B0 A0 only, not on how it is factored)
  double first_order = 0;
  double loss_before = 0, loss_after = 0;
  int evaluations = 0;  ///< gradient evaluations the step used
};

/// The network of width n, built once and reused for every case.
class FeatureProblem {
 public:
  FeatureProblem(int width, const FeatureSetup& setup);
  ~FeatureProblem();
  FeatureProblem(const FeatureProblem&) = delete;
  FeatureProblem& operator=(const FeatureProblem&) = delete;
  int width() const;
  /// One step of `c.method` at step size `c.lr` from the case's init.
  FeatureUpdate one_step(const FeatureCase& c) const;

  struct Impl;  ///< the network's fixed parts (feature_sweep.cpp)

 private:
  /// One step from B0 = b u, A0 = a w^T (scales from the case), into `out`.
  void step_from(const FeatureCase& c, const Eigen::MatrixXd& u, const Eigen::MatrixXd& w, FeatureUpdate& out) const;
  std::unique_ptr<Impl> impl_;
};

/// Least-squares slope of log(y) against log(x).
double loglog_slope(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace pinnkit::bench
