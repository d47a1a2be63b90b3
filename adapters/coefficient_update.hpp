#pragma once
/// \brief Helpers of the adapters that update a KAN layer's coefficient
/// tensor through its hooks (lora_kan, svd_lora_kan): a flat workspace sized
/// on demand, and adding a flat update into the n_out x n_in x K tensor.
#include <string>

#include "core/kokkos.hpp"
#include "models/param_store.hpp"

namespace pinnkit::adapters {

/// Resizes `v` to n entries (uninitialised) unless it has them already.
inline void ensure_size(View1<Real>& v, std::size_t n, const char* label) {
  if (v.extent(0) != n) v = View1<Real>(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), n);
}

/// y += x, x read as y's entries in order. A free function because CUDA
/// rejects device lambdas in protected members.
inline void add_into_coefficients(const ExecSpace& exec, const View1<Real>& x, const models::ParamView3& y) {
  const std::size_t n = x.extent(0);
  const models::ParamView1 flat(y.data(), n);
  Kokkos::parallel_for(
      "pinnkit::adapters::add_into_coefficients", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(std::size_t i) { flat(i) += x(i); });
}

}  // namespace pinnkit::adapters
