#include "solvers/unit_sampler.hpp"

#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace pinnkit::solvers {

UnitSampler::UnitSampler(const std::string& method, int dim, std::uint64_t seed)
    : method_(method), dim_(dim), rng_(seed) {
  PINNKIT_CHECK(dim >= 1, "sampler dimension must be positive");
  if (method == "sobol") {
    // Boost's sequence starts at (1/2, ..., 1/2): the origin is already skipped.
    sobol_ = std::make_unique<boost::random::sobol>(dim);
  } else if (method != "uniform" && method != "lhs" && method != "grid") {
    throw InternalError("unknown sampling method '" + method + "'");
  }
}

std::vector<double> UnitSampler::next(int n) {
  PINNKIT_CHECK(n >= 0, "negative point count");
  std::vector<double> out;
  if (method_ == "uniform") {
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    out.resize(static_cast<std::size_t>(n) * dim_);
    for (double& v : out) v = u(rng_);
  } else if (method_ == "sobol") {
    out.resize(static_cast<std::size_t>(n) * dim_);
    // 2^-64 scaling of the 64-bit Sobol integers gives [0, 1).
    const double scale = std::ldexp(1.0, -64);
    for (double& v : out) v = static_cast<double>((*sobol_)()) * scale;
  } else if (method_ == "lhs") {
    // One point per stratum along every axis, strata paired by random permutations.
    out.resize(static_cast<std::size_t>(n) * dim_);
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<int> perm(n);
    for (int a = 0; a < dim_; ++a) {
      std::iota(perm.begin(), perm.end(), 0);
      for (int i = n - 1; i > 0; --i) std::swap(perm[i], perm[static_cast<int>(u(rng_) * (i + 1)) % (i + 1)]);
      for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i) * dim_ + a] = (perm[i] + u(rng_)) / n;
    }
  } else {  // grid: cell centres, m per axis with m^dim close to n
    const int m = std::max(2, static_cast<int>(std::floor(std::pow(std::max(n, 1), 1.0 / dim_) + 1e-9)));
    std::size_t total = 1;
    for (int a = 0; a < dim_; ++a) total *= m;
    out.resize(total * dim_);
    for (std::size_t i = 0; i < total; ++i) {
      std::size_t rest = i;
      for (int a = dim_ - 1; a >= 0; --a) {
        out[i * dim_ + a] = (static_cast<double>(rest % m) + 0.5) / m;
        rest /= m;
      }
    }
  }
  return out;
}

}  // namespace pinnkit::solvers
