#include "solvers/unit_sampler.hpp"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <memory>
#include <numeric>

#include "core/error.hpp"

namespace pinnkit::solvers {

namespace {

PointGenerator uniform(int dim, std::uint64_t seed) {
  return [dim, rng = boost::random::mt19937_64(seed)](int n) mutable {
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    for (double& v : out) v = u(rng);
    return out;
  };
}

PointGenerator sobol(int dim, std::uint64_t /*seed*/) {
  // Boost's sequence starts at (1/2, ..., 1/2): the origin is already skipped.
  auto sequence = std::make_shared<boost::random::sobol>(dim);
  return [dim, sequence](int n) {
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    // 2^-64 scaling of the 64-bit Sobol integers gives [0, 1).
    const double scale = std::ldexp(1.0, -64);
    for (double& v : out) v = static_cast<double>((*sequence)()) * scale;
    return out;
  };
}

PointGenerator latin_hypercube(int dim, std::uint64_t seed) {
  // One point per stratum along every axis, strata paired by random permutations.
  return [dim, rng = boost::random::mt19937_64(seed)](int n) mutable {
    std::vector<double> out(static_cast<std::size_t>(n) * dim);
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<int> perm(n);
    for (int a = 0; a < dim; ++a) {
      std::iota(perm.begin(), perm.end(), 0);
      for (int i = n - 1; i > 0; --i) std::swap(perm[i], perm[static_cast<int>(u(rng) * (i + 1)) % (i + 1)]);
      for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i) * dim + a] = (perm[i] + u(rng)) / n;
    }
    return out;
  };
}

PointGenerator grid(int dim, std::uint64_t /*seed*/) {
  // Cell centres, m per axis with m^dim close to n.
  return [dim](int n) {
    const int m = std::max(2, static_cast<int>(std::floor(std::pow(std::max(n, 1), 1.0 / dim) + 1e-9)));
    std::size_t total = 1;
    for (int a = 0; a < dim; ++a) total *= m;
    std::vector<double> out(total * dim);
    for (std::size_t i = 0; i < total; ++i) {
      std::size_t rest = i;
      for (int a = dim - 1; a >= 0; --a) {
        out[i * dim + a] = (static_cast<double>(rest % m) + 0.5) / m;
        rest /= m;
      }
    }
    return out;
  };
}

}  // namespace

SamplerCapabilities exact(bool count) {
  SamplerCapabilities can;
  can.exact_count = count;
  return can;
}

const Registry<SamplerEntry>& sampler_registry() {
  static const Registry<SamplerEntry> registry{
      "samplers",
      "sampling.method",
      {
          {"uniform", "independent uniform points (Mersenne twister, seeded)", uniform, exact(true)},
          {"lhs", "Latin hypercube: one point per stratum along every axis", latin_hypercube, exact(true)},
          {"sobol", "Sobol low-discrepancy sequence; a resample continues it", sobol, exact(true)},
          {"grid", "cell centres of an m^d grid, m = floor(n^(1/d)): the count may differ from n", grid,
           exact(false)},
      }};
  return registry;
}


UnitSampler::UnitSampler(const std::string& method, int dim, std::uint64_t seed) : dim_(dim) {
  PINNKIT_CHECK(dim >= 1, "sampler dimension must be positive");
  generate_ = sampler_registry().get(method).build(dim, seed);
}

std::vector<double> UnitSampler::next(int n) {
  PINNKIT_CHECK(n >= 0, "negative point count");
  return generate_(n);
}

}  // namespace pinnkit::solvers
