#include "solvers/optimizer_entries.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/math.hpp"

namespace pinnkit::solvers {

TrainableEntries::TrainableEntries(int n) : full_size_(n) {
  PINNKIT_CHECK(n >= 0, "TrainableEntries: negative size");
  std::vector<int> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  upload(all);
  groups_ = {"default"};
  group_of_.assign(all.size(), 0);
}

TrainableEntries::TrainableEntries(const models::ParamStore& store)
    : full_size_(static_cast<int>(store.size())) {
  PINNKIT_CHECK(store.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
                "TrainableEntries: more parameters than an int can index");
  std::vector<int> chosen;
  chosen.reserve(store.trainable_size());
  for (const auto& b : store.blocks()) {
    if (!b.trainable) continue;
    auto g = std::find(groups_.begin(), groups_.end(), b.group);
    if (g == groups_.end()) g = groups_.insert(groups_.end(), b.group);
    const int group = static_cast<int>(g - groups_.begin());
    for (std::size_t k = 0; k < b.size(); ++k) {
      chosen.push_back(static_cast<int>(b.offset + k));
      group_of_.push_back(group);
      block_factor_.push_back(b.lr_factor);
    }
  }
  upload(chosen);
}

void TrainableEntries::upload(const std::vector<int>& host_indices) {
  indices_ = View1<int>(Kokkos::view_alloc(Kokkos::WithoutInitializing,
                                           "pinnkit::solvers::TrainableEntries::indices"),
                        host_indices.size());
  HostView1<const int> host(host_indices.data(), host_indices.size());
  Kokkos::deep_copy(indices_, host);
}

View1<Real> TrainableEntries::lr_factors(const std::map<std::string, double>& group_lr) const {
  std::vector<Real> per_group(groups_.size(), Real(1));
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const auto it = group_lr.find(groups_[g]);
    if (it != group_lr.end()) per_group[g] = static_cast<Real>(it->second);
  }
  std::vector<Real> host(group_of_.size());
  for (std::size_t i = 0; i < host.size(); ++i)
    host[i] = per_group[group_of_[i]] * (block_factor_.empty() ? Real(1) : static_cast<Real>(block_factor_[i]));
  View1<Real> factors(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pinnkit::solvers::TrainableEntries::lr_factors"),
                      host.size());
  Kokkos::deep_copy(factors, HostView1<const Real>(host.data(), host.size()));
  return factors;
}

void TrainableEntries::gather(const ExecSpace& exec, const View1<const Real>& full,
                              const View1<Real>& packed) const {
  PINNKIT_CHECK(matches(full, packed), "TrainableEntries::gather: sizes do not match");
  auto idx = indices_;
  Kokkos::parallel_for(
      "pinnkit::solvers::TrainableEntries::gather", Kokkos::RangePolicy<ExecSpace>(exec, 0, size()),
      KOKKOS_LAMBDA(int i) { packed(i) = full(idx(i)); });
}

void TrainableEntries::scatter(const ExecSpace& exec, const View1<const Real>& packed,
                               const View1<Real>& full) const {
  PINNKIT_CHECK(matches(full, packed), "TrainableEntries::scatter: sizes do not match");
  auto idx = indices_;
  Kokkos::parallel_for(
      "pinnkit::solvers::TrainableEntries::scatter", Kokkos::RangePolicy<ExecSpace>(exec, 0, size()),
      KOKKOS_LAMBDA(int i) { full(idx(i)) = packed(i); });
}

double TrainableEntries::inf_norm(const ExecSpace& exec, const View1<const Real>& full) const {
  PINNKIT_CHECK(static_cast<int>(full.extent(0)) == full_size_, "TrainableEntries::inf_norm: wrong size");
  auto idx = indices_;
  // A sum of squares carries a NaN through where a max reduction may drop it.
  double largest = 0, squares = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::TrainableEntries::inf_norm", Kokkos::RangePolicy<ExecSpace>(exec, 0, size()),
      KOKKOS_LAMBDA(int i, double& m) {
        const double a = math::abs(full(idx(i)));
        m = a > m ? a : m;
      },
      Kokkos::Max<double>(largest));
  Kokkos::parallel_reduce(
      "pinnkit::solvers::TrainableEntries::nan_probe", Kokkos::RangePolicy<ExecSpace>(exec, 0, size()),
      KOKKOS_LAMBDA(int i, double& s) { s += static_cast<double>(full(idx(i))) * full(idx(i)); }, squares);
  if (size() == 0) return 0.0;
  return std::isnan(squares) ? squares : largest;
}

}  // namespace pinnkit::solvers
