#pragma once
/// \brief Limited-memory BFGS with a strong Wolfe line search (Nocedal &
/// Wright, Algorithms 7.4/7.5 and 3.5/3.6) on a flat MemSpace vector.
///
/// The function is an Oracle, not a PINN: the trainer adapts its Objective
/// (solvers/lbfgs_stepper.hpp), tests pass Rosenbrock or a quadratic.
/// Driven one iteration at a time (start, then iterate until status() is no
/// longer running) so that the caller can log, check stop requests and cap
/// the number of iterations.
#include <functional>
#include <string>
#include <vector>

#include "core/kokkos.hpp"
#include "solvers/line_search.hpp"
#include "solvers/saved_state.hpp"

namespace pinnkit::solvers {

/// f(x) and its gradient: reads x (MemSpace, size n), writes grad (size n),
/// returns f. Called at trial points of the line search too.
using Oracle = std::function<double(const View1<const Real>& x, const View1<Real>& grad)>;

struct LbfgsSettings {
  int history = 50;                      ///< m: curvature pairs kept
  double lr = 1.0;                       ///< scale of the first (steepest-descent) step
  double gradient_tolerance = 1e-9;      ///< converged when |grad|_inf <= this
  double loss_change_tolerance = 1e-12;  ///< stalled when |f_k - f_k+1| <= this max(|f_k|, |f_k+1|)
  double curvature_eps = 1e-10;          ///< pairs with s.y <= eps |s||y| are skipped
  LineSearchSettings line_search;
};

enum class LbfgsStatus { running, gradient_small, loss_stalled, line_search_failed, not_finite };
const char* to_string(LbfgsStatus status);

/// What start() or one iterate() did, and the state it left.
struct LbfgsIteration {
  double value = 0;      ///< f at x()
  double grad_norm = 0;  ///< |grad f|_inf at x()
  double step = 0;       ///< accepted line-search step (0: start, or no move)
  int evaluations = 0;   ///< oracle calls made by this call
  LbfgsStatus status = LbfgsStatus::running;
  std::string message;  ///< why it stopped, when it did
};

class Lbfgs {
 public:
  Lbfgs(int n, const LbfgsSettings& settings, Oracle oracle);

  /// Evaluates the oracle at a copy of x0 (size n) and forgets any history.
  LbfgsIteration start(const ExecSpace& exec, const View1<const Real>& x0);
  /// start() from a point the caller has evaluated already: f0 = f(x0),
  /// g0 = grad f(x0) (size n). Calls no oracle.
  LbfgsIteration start_evaluated(const ExecSpace& exec, const View1<const Real>& x0, double f0,
                                 const View1<const Real>& g0);
  /// One quasi-Newton step with a line search; precondition: status() is
  /// running. A failed search from the quasi-Newton direction retries once
  /// along -grad with an empty history before giving up. x() moves only on
  /// success; then the oracle's last call was at the new x().
  LbfgsIteration iterate(const ExecSpace& exec);

  View1<const Real> x() const { return x_; }
  View1<const Real> gradient() const { return g_; }
  double value() const { return f_; }
  LbfgsStatus status() const { return status_; }
  int evaluations() const { return evaluations_; }  ///< since start()
  int iterations() const { return iterations_; }    ///< accepted steps since start()
  int stored_pairs() const { return count_; }

  /// Everything iterate() reads: x, g, the pairs, counters and status.
  void save(SavedState& state) const;
  /// Continues from a saved state instead of start().
  void restore(const SavedState& state);

 private:
  LinePoint evaluate_along(const ExecSpace& exec, double alpha);
  /// d = -H grad by the two-loop recursion (H0 = gamma I); d = -grad without history.
  void direction(const ExecSpace& exec);
  void remember_pair(const ExecSpace& exec);
  void forget_history() { head_ = count_ = 0; }
  LineSearchResult search(const ExecSpace& exec);
  void judge(const ExecSpace& exec, double previous_value, LbfgsIteration& it);

  int n_;
  LbfgsSettings s_;
  Oracle oracle_;
  View1<Real> x_, g_, trial_x_, trial_g_, d_;
  View2<Real> s_hist_, y_hist_;  ///< (m, n) ring buffers of s = x_k+1 - x_k, y = g_k+1 - g_k
  std::vector<double> rho_, alpha_;
  int head_ = 0, count_ = 0;  ///< oldest slot, pairs stored
  double gamma_ = 1.0;        ///< H0 = gamma I, gamma = s.y / y.y of the newest pair
  double f_ = 0, grad_inf_ = 0, grad_2_ = 0;
  LbfgsStatus status_ = LbfgsStatus::running;
  int evaluations_ = 0, iterations_ = 0;
  bool started_ = false;
};

}  // namespace pinnkit::solvers
