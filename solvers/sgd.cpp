#include "solvers/sgd.hpp"

#include "core/error.hpp"

namespace pinnkit::solvers {

Sgd::Sgd(int n, const SgdSettings& settings) : Sgd(TrainableEntries(n), settings) {}

Sgd::Sgd(const TrainableEntries& entries, const SgdSettings& settings)
    : s_(settings), entries_(entries), velocity_("pinnkit::solvers::Sgd::velocity", entries.size()) {}

void Sgd::step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
               double lr) {
  PINNKIT_CHECK(static_cast<int>(params.extent(0)) == entries_.full_size() &&
                    static_cast<int>(grads.extent(0)) == entries_.full_size(),
                "Sgd: parameter count changed");
  const Real mu = s_.momentum, rate = lr;
  const bool nesterov = s_.nesterov;
  auto v = velocity_;
  auto idx = entries_.indices();
  Kokkos::parallel_for(
      "pinnkit::solvers::Sgd::step", Kokkos::RangePolicy<ExecSpace>(exec, 0, entries_.size()),
      KOKKOS_LAMBDA(int i) {
        const int j = idx(i);
        const Real g = grads(j);
        v(i) = mu * v(i) + g;
        params(j) -= rate * (nesterov ? g + mu * v(i) : v(i));
      });
}

}  // namespace pinnkit::solvers
