#pragma once
/// \brief Points in the unit cube [0,1)^d by a named method (uniform, lhs,
/// sobol, grid), seeded and reproducible; geometries map them to domains.
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pinnkit::solvers {

class UnitSampler {
 public:
  /// method: one of sampling_methods() (training_spec.hpp).
  UnitSampler(const std::string& method, int dim, std::uint64_t seed);

  /// n x dim points, row-major. Successive calls continue the sequence (a
  /// Sobol resample gives new points). "grid" returns the cell centres of an
  /// m^dim grid, m = max(2, floor(n^(1/dim))), so its count may differ from n.
  std::vector<double> next(int n);

  int dim() const { return dim_; }

 private:
  std::string method_;
  int dim_;
  boost::random::mt19937_64 rng_;
  std::unique_ptr<boost::random::sobol> sobol_;
};

}  // namespace pinnkit::solvers
