#pragma once
/// \brief Points in the unit cube [0,1)^d by a named method (an entry of
/// sampler_registry(): uniform, lhs, sobol, grid), seeded and reproducible;
/// geometries map them to domains.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/registry.hpp"

namespace pinnkit::solvers {

/// A generator of points in [0,1)^dim: each call returns n more (row-major),
/// continuing its sequence.
using PointGenerator = std::function<std::vector<double>(int n)>;
using SamplerBuilder = PointGenerator (*)(int dim, std::uint64_t seed);
struct SamplerCapabilities : BaseCapabilities {
  /// false: the generator may return another count than asked (grid: m^dim points).
  bool exact_count = true;
};
using SamplerEntry = RegistryEntry<SamplerBuilder, SamplerCapabilities>;
/// The point samplers `sampling.method` may name.
const Registry<SamplerEntry>& sampler_registry();

class UnitSampler {
 public:
  /// method: an entry of sampler_registry() (InputError naming sampling.method otherwise).
  UnitSampler(const std::string& method, int dim, std::uint64_t seed);

  /// n x dim points, row-major. Successive calls continue the sequence (a
  /// Sobol resample gives new points). "grid" returns the cell centres of an
  /// m^dim grid, m = max(2, floor(n^(1/dim))), so its count may differ from n.
  std::vector<double> next(int n);

  int dim() const { return dim_; }

 private:
  int dim_;
  PointGenerator generate_;
};

}  // namespace pinnkit::solvers
