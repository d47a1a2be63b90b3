#include "solvers/unit_sampler.hpp"

#include "core/error.hpp"
#include "solvers/optimizer_registry.hpp"

namespace pinnkit::solvers {

UnitSampler::UnitSampler(const std::string& method, int dim, std::uint64_t seed) : dim_(dim) {
  PINNKIT_CHECK(dim >= 1, "sampler dimension must be positive");
  generate_ = sampler_registry().get(method).build(dim, seed);
}

std::vector<double> UnitSampler::next(int n) {
  PINNKIT_CHECK(n >= 0, "negative point count");
  return generate_(n);
}

}  // namespace pinnkit::solvers
