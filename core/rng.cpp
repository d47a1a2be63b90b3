#include "core/rng.hpp"

#include <cmath>

namespace pinnkit {

std::uint64_t derive_seed(const std::string& name, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a offset basis
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  std::uint64_t z = h ^ (seed + 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double HostRng::uniform01() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double HostRng::normal(double mean, double stddev) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + stddev * spare_;
  }
  // 1 - uniform01() lies in (0, 1]: the log is finite.
  const double r = std::sqrt(-2.0 * std::log(1.0 - uniform01()));
  const double theta = 2.0 * M_PI * uniform01();
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return mean + stddev * r * std::cos(theta);
}

}  // namespace pinnkit
