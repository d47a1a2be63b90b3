#include "solvers/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "solvers/lbfgs_linalg.hpp"

namespace pinnkit::solvers {

namespace la = lbfgs_linalg;

const char* to_string(LbfgsStatus s) {
  switch (s) {
    case LbfgsStatus::running: return "running";
    case LbfgsStatus::gradient_small: return "gradient below tolerance";
    case LbfgsStatus::loss_stalled: return "relative loss change below tolerance";
    case LbfgsStatus::line_search_failed: return "line search failed";
    case LbfgsStatus::not_finite: return "loss or gradient not finite";
  }
  return "unknown";
}

namespace {

View1<Real> scratch(const std::string& label, int n) {
  return View1<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n);
}

View2<Real> history_rows(const std::string& label, int m, int n) {
  return View2<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), m, n);
}

}  // namespace

Lbfgs::Lbfgs(int n, const LbfgsSettings& settings, Oracle oracle)
    : n_(n),
      s_(settings),
      oracle_(std::move(oracle)),
      x_(scratch("pinnkit::solvers::Lbfgs::x", n)),
      g_(scratch("pinnkit::solvers::Lbfgs::g", n)),
      trial_x_(scratch("pinnkit::solvers::Lbfgs::trial_x", n)),
      trial_g_(scratch("pinnkit::solvers::Lbfgs::trial_g", n)),
      d_(scratch("pinnkit::solvers::Lbfgs::d", n)),
      s_hist_(history_rows("pinnkit::solvers::Lbfgs::s", settings.history, n)),
      y_hist_(history_rows("pinnkit::solvers::Lbfgs::y", settings.history, n)),
      rho_(settings.history),
      alpha_(settings.history) {
  PINNKIT_CHECK(n >= 0 && settings.history > 0 && settings.lr > 0, "Lbfgs: bad size, history or lr");
  PINNKIT_CHECK(static_cast<bool>(oracle_), "Lbfgs: no oracle");
}

LbfgsIteration Lbfgs::start(const ExecSpace& exec, const View1<const Real>& x0) {
  PINNKIT_CHECK(static_cast<int>(x0.extent(0)) == n_, "Lbfgs::start: x0 has the wrong size");
  Kokkos::deep_copy(exec, x_, x0);
  forget_history();
  evaluations_ = iterations_ = 0;
  started_ = true;
  status_ = LbfgsStatus::running;
  f_ = oracle_(x_, g_);
  evaluations_ = 1;
  LbfgsIteration it;
  it.evaluations = 1;
  judge(exec, std::numeric_limits<double>::quiet_NaN(), it);
  return it;
}

LbfgsIteration Lbfgs::start_evaluated(const ExecSpace& exec, const View1<const Real>& x0, double f0,
                                      const View1<const Real>& g0) {
  PINNKIT_CHECK(static_cast<int>(x0.extent(0)) == n_ && static_cast<int>(g0.extent(0)) == n_,
                "Lbfgs::start_evaluated: x0 or g0 has the wrong size");
  Kokkos::deep_copy(exec, x_, x0);
  Kokkos::deep_copy(exec, g_, g0);
  forget_history();
  evaluations_ = iterations_ = 0;
  started_ = true;
  status_ = LbfgsStatus::running;
  f_ = f0;
  LbfgsIteration it;
  judge(exec, std::numeric_limits<double>::quiet_NaN(), it);
  return it;
}

LinePoint Lbfgs::evaluate_along(const ExecSpace& exec, double alpha) {
  la::step_from(exec, x_, alpha, d_, trial_x_);
  LinePoint p;
  p.alpha = alpha;
  p.value = oracle_(trial_x_, trial_g_);
  ++evaluations_;
  // An overflowing trial may carry Inf in its gradient; its slope is not
  // needed (the search backs off) and computing it could make a NaN.
  p.slope = std::isfinite(p.value) ? la::dot(exec, trial_g_, d_) : std::numeric_limits<double>::quiet_NaN();
  return p;
}

void Lbfgs::direction(const ExecSpace& exec) {
  const int m = s_.history;
  auto s_row = [&](int k) { return Kokkos::subview(s_hist_, (head_ + k) % m, Kokkos::ALL()); };
  auto y_row = [&](int k) { return Kokkos::subview(y_hist_, (head_ + k) % m, Kokkos::ALL()); };
  Kokkos::deep_copy(exec, d_, g_);
  if (count_ == 0) {  // steepest descent
    la::scale(exec, -1.0, d_);
    return;
  }
  // Each update of d is fused with the dot product the next step needs
  // (la::axpy_dot, la::scale_dot): 2 passes per pair instead of 4. The
  // dots may round differently from separate kernels' (another summation
  // order), so directions differ from the unfused version's in the last
  // bits; a run still repeats itself bit for bit.
  double sd = la::dot(exec, s_row(count_ - 1), d_);
  for (int k = count_ - 1; k >= 0; --k) {  // newest to oldest
    const int slot = (head_ + k) % m;
    alpha_[slot] = rho_[slot] * sd;
    if (k > 0)
      sd = la::axpy_dot(exec, -alpha_[slot], y_row(k), d_, s_row(k - 1));
    else
      la::axpy(exec, -alpha_[slot], y_row(k), d_);
  }
  double yd = la::scale_dot(exec, gamma_, d_, y_row(0));
  for (int k = 0; k < count_; ++k) {  // oldest to newest
    const int slot = (head_ + k) % m;
    const double beta = rho_[slot] * yd;
    if (k + 1 < count_)
      yd = la::axpy_dot(exec, alpha_[slot] - beta, s_row(k), d_, y_row(k + 1));
    else
      la::axpy(exec, alpha_[slot] - beta, s_row(k), d_);
  }
  la::scale(exec, -1.0, d_);
}

LineSearchResult Lbfgs::search(const ExecSpace& exec) {
  direction(exec);
  double slope = la::dot(exec, g_, d_);
  if (count_ > 0 && !(slope < 0)) {  // rounding spoiled H: restart from steepest descent
    forget_history();
    direction(exec);
    slope = la::dot(exec, g_, d_);
  }
  // Without curvature information the first step is at most lr long.
  const double first = count_ > 0 ? 1.0 : (grad_2_ > 1 ? 1.0 / grad_2_ : 1.0) * s_.lr;
  auto phi = [&](double alpha) { return evaluate_along(exec, alpha); };
  return strong_wolfe_search(phi, LinePoint{0.0, f_, slope}, first, s_.line_search);
}

void Lbfgs::remember_pair(const ExecSpace& exec) {
  // s = trial_x - x, y = trial_g - g; the dots first, so that a rejected pair
  // never overwrites the oldest stored one.
  const double sy = la::dot_of_differences(exec, trial_x_, x_, trial_g_, g_);
  const double ss = la::dot_of_differences(exec, trial_x_, x_, trial_x_, x_);
  const double yy = la::dot_of_differences(exec, trial_g_, g_, trial_g_, g_);
  if (!(sy > s_.curvature_eps * std::sqrt(ss * yy)) || !(yy > 0)) return;
  const int m = s_.history;
  int slot;
  if (count_ < m) {
    slot = (head_ + count_) % m;
    ++count_;
  } else {
    slot = head_;
    head_ = (head_ + 1) % m;
  }
  la::difference(exec, trial_x_, x_, Kokkos::subview(s_hist_, slot, Kokkos::ALL()));
  la::difference(exec, trial_g_, g_, Kokkos::subview(y_hist_, slot, Kokkos::ALL()));
  rho_[slot] = 1.0 / sy;
  gamma_ = sy / yy;
}

LbfgsIteration Lbfgs::iterate(const ExecSpace& exec) {
  PINNKIT_CHECK(started_ && status_ == LbfgsStatus::running, "Lbfgs::iterate: not running");
  LbfgsIteration it;
  const int evaluations_before = evaluations_;
  LineSearchResult ls = search(exec);
  if (!ls.found && count_ > 0) {
    forget_history();
    ls = search(exec);
  }
  it.evaluations = evaluations_ - evaluations_before;
  if (!ls.found) {
    status_ = LbfgsStatus::line_search_failed;
    it.value = f_;
    it.grad_norm = grad_inf_;
    it.status = status_;
    it.message = "line search failed after " + std::to_string(it.evaluations) + " evaluations: " + ls.failure;
    return it;
  }
  remember_pair(exec);
  std::swap(x_, trial_x_);
  std::swap(g_, trial_g_);
  const double previous = f_;
  f_ = ls.point.value;
  ++iterations_;
  it.step = ls.point.alpha;
  judge(exec, previous, it);
  return it;
}

void Lbfgs::judge(const ExecSpace& exec, double previous, LbfgsIteration& it) {
  grad_2_ = std::sqrt(la::dot(exec, g_, g_));  // a NaN anywhere shows here
  grad_inf_ = std::isnan(grad_2_) ? grad_2_ : la::inf_norm(exec, g_);
  it.value = f_;
  it.grad_norm = grad_inf_;
  // Comparisons only between finite numbers: a NaN comparison would trip FP traps.
  auto stalled = [&] {
    return std::isfinite(previous) &&
           std::abs(previous - f_) <= s_.loss_change_tolerance * std::max(std::abs(previous), std::abs(f_));
  };
  std::ostringstream why;
  if (!std::isfinite(f_) || !std::isfinite(grad_2_)) {
    status_ = LbfgsStatus::not_finite;
    why << "loss " << f_ << ", gradient 2-norm " << grad_2_;
  } else if (grad_inf_ <= s_.gradient_tolerance) {
    status_ = LbfgsStatus::gradient_small;
    why << "gradient inf-norm " << grad_inf_ << " <= " << s_.gradient_tolerance;
  } else if (stalled()) {
    status_ = LbfgsStatus::loss_stalled;
    why << "loss " << previous << " -> " << f_ << ", relative change below " << s_.loss_change_tolerance;
  }
  it.status = status_;
  if (status_ != LbfgsStatus::running) it.message = std::string(to_string(status_)) + ": " + why.str();
}

void Lbfgs::save(SavedState& state) const {
  state.put_view("x", x_);
  state.put_view("g", g_);
  state.put_view("s", s_hist_);
  state.put_view("y", y_hist_);
  state.put("rho", rho_);
  state.put("counters", std::vector<double>{double(head_), double(count_), gamma_, f_, grad_inf_, grad_2_,
                                            double(static_cast<int>(status_)), double(evaluations_),
                                            double(iterations_), double(started_)});
}

void Lbfgs::restore(const SavedState& state) {
  state.get_view("x", x_);
  state.get_view("g", g_);
  state.get_view("s", s_hist_);
  state.get_view("y", y_hist_);
  const auto& rho = state.get("rho");
  if (rho.size() != rho_.size())
    throw InputError("checkpoint: rho: expected " + std::to_string(rho_.size()) + " values (lbfgs history), got " +
                     std::to_string(rho.size()));
  rho_ = rho;
  const auto& c = state.get("counters");
  if (c.size() != 10) throw InputError("checkpoint: counters: expected 10 values, got " + std::to_string(c.size()));
  head_ = static_cast<int>(c[0]);
  count_ = static_cast<int>(c[1]);
  gamma_ = c[2];
  f_ = c[3];
  grad_inf_ = c[4];
  grad_2_ = c[5];
  status_ = static_cast<LbfgsStatus>(static_cast<int>(c[6]));
  evaluations_ = static_cast<int>(c[7]);
  iterations_ = static_cast<int>(c[8]);
  started_ = c[9] != 0;
}

}  // namespace pinnkit::solvers
