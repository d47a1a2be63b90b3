#pragma once
/// \brief Deterministic host-side random numbers for initialisation and
/// sampling setup: the same (name, seed) gives the same stream on every
/// machine, compiler and thread count.
///
/// std::mt19937_64 is specified bit-for-bit by the standard; the standard
/// distributions are not, so uniform and normal variates are derived here.
#include <cstdint>
#include <random>
#include <string>

namespace pinnkit {

/// Mixes a block name into a user seed (FNV-1a, then splitmix64), so every
/// named parameter block gets its own independent stream.
std::uint64_t derive_seed(const std::string& name, std::uint64_t seed);

class HostRng {
 public:
  explicit HostRng(std::uint64_t seed) : engine_(seed) {}
  HostRng(const std::string& name, std::uint64_t seed) : engine_(derive_seed(name, seed)) {}

  /// Uniform in [0, 1) with 53 random bits.
  double uniform01();
  /// Uniform in [a, b).
  double uniform(double a, double b) { return a + (b - a) * uniform01(); }
  /// Normal(mean, stddev) by Box-Muller (one variate cached).
  double normal(double mean = 0.0, double stddev = 1.0);
  /// Raw 64 random bits.
  std::uint64_t bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace pinnkit
