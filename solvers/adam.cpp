#include "solvers/adam.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/math.hpp"

namespace pinnkit::solvers {

Adam::Adam(int n, const AdamSettings& settings)
    : s_(settings), m_("pinnkit::solvers::Adam::m", n), v_("pinnkit::solvers::Adam::v", n) {}

void Adam::step(const View1<Real>& params, const View1<const Real>& grads, double lr) {
  PINNKIT_CHECK(params.extent(0) == m_.extent(0) && grads.extent(0) == m_.extent(0),
                "Adam: parameter count changed");
  ++t_;
  const Real b1 = s_.beta1, b2 = s_.beta2, eps = s_.eps;
  // Bias corrections folded into the step size and epsilon.
  const Real step_size = lr * std::sqrt(1 - std::pow(s_.beta2, t_)) / (1 - std::pow(s_.beta1, t_));
  const Real eps_hat = eps * std::sqrt(1 - std::pow(s_.beta2, t_));
  const Real decay = 1 - lr * s_.weight_decay;
  auto m = m_, v = v_;
  Kokkos::parallel_for(
      "pinnkit::solvers::Adam::step", Kokkos::RangePolicy<ExecSpace>(0, params.extent(0)),
      KOKKOS_LAMBDA(int i) {
        const Real g = grads(i);
        m(i) = b1 * m(i) + (1 - b1) * g;
        v(i) = b2 * v(i) + (1 - b2) * g * g;
        params(i) = decay * params(i) - step_size * m(i) / (math::sqrt(v(i)) + eps_hat);
      });
}

}  // namespace pinnkit::solvers
