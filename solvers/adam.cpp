#include "solvers/adam.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/math.hpp"

namespace pinnkit::solvers {

Adam::Adam(int n, const AdamSettings& settings) : Adam(TrainableEntries(n), settings) {}

Adam::Adam(const TrainableEntries& entries, const AdamSettings& settings)
    : s_(settings),
      entries_(entries),
      m_("pinnkit::solvers::Adam::m", entries.size()),
      v_("pinnkit::solvers::Adam::v", entries.size()),
      lr_factor_(entries.lr_factors(settings.group_lr)) {}

void Adam::step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
                double lr) {
  PINNKIT_CHECK(static_cast<int>(params.extent(0)) == entries_.full_size() &&
                    static_cast<int>(grads.extent(0)) == entries_.full_size(),
                "Adam: parameter count changed");
  ++t_;
  const Real b1 = s_.beta1, b2 = s_.beta2, eps = s_.eps;
  // Bias corrections folded into the step size and epsilon.
  const Real step_size = lr * std::sqrt(1 - std::pow(s_.beta2, t_)) / (1 - std::pow(s_.beta1, t_));
  const Real eps_hat = eps * std::sqrt(1 - std::pow(s_.beta2, t_));
  const Real wd = lr * s_.weight_decay;
  auto m = m_, v = v_, factor = lr_factor_;
  auto idx = entries_.indices();
  Kokkos::parallel_for(
      "pinnkit::solvers::Adam::step", Kokkos::RangePolicy<ExecSpace>(exec, 0, entries_.size()),
      KOKKOS_LAMBDA(int i) {
        const int j = idx(i);
        const Real g = grads(j);
        m(i) = b1 * m(i) + (1 - b1) * g;
        v(i) = b2 * v(i) + (1 - b2) * g * g;
        // The group factor scales the whole step, decoupled decay included.
        params(j) = (1 - factor(i) * wd) * params(j) -
                    factor(i) * step_size * m(i) / (math::sqrt(v(i)) + eps_hat);
      });
}

void Adam::save(SavedState& state) const {
  state.put_view("m", m_);
  state.put_view("v", v_);
  state.put("t", t_);
}

void Adam::restore(const SavedState& state) {
  state.get_view("m", m_);
  state.get_view("v", v_);
  t_ = static_cast<int>(state.scalar("t"));
}

}  // namespace pinnkit::solvers
