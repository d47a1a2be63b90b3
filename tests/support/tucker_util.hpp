#pragma once
/// \brief Shared pieces of the LoTRA and Slim KAN tests: random KAN input
/// jets away from knots, the Tucker product on the host (the reference the
/// staged Kokkos contractions are checked against), and the fault list.
#include <vector>

#include "core/rng.hpp"
#include "models/kan_layer.hpp"
#include "models/tucker.hpp"
#include "support/kan_util.hpp"

namespace pinnkit::testing {

/// Input jets (n, C, in_features): values `margin` away from the knots of
/// each input's grid, higher Taylor coefficients U(-1, 1).
inline std::vector<double> kan_random_jets(const models::KanLayer& layer, const JetSpec& spec, int n,
                                           double margin, std::uint64_t seed) {
  const std::vector<double> x = points_away_from_knots(layer, n, margin, seed);
  HostRng rng("jets", seed);
  const int c = spec.channels(), f = layer.in_features();
  std::vector<double> v(static_cast<std::size_t>(n) * c * f);
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < c; ++ch)
      for (int p = 0; p < f; ++p) v[(i * c + ch) * f + p] = ch == 0 ? x[i * f + p] : rng.uniform(-1.0, 1.0);
  return v;
}

/// T[q,p,j] = sum G[a,b,c] Uo[q,a] Ui[p,b] Ub[j,c] by the defining 6-fold sum.
inline std::vector<double> host_tucker(const std::vector<double>& G, const std::vector<double>& Uo,
                                       const std::vector<double>& Ui, const std::vector<double>& Ub, int n_out,
                                       int n_in, int K, int r1, int r2, int r3) {
  std::vector<double> T(static_cast<std::size_t>(n_out) * n_in * K, 0.0);
  for (int q = 0; q < n_out; ++q)
    for (int p = 0; p < n_in; ++p)
      for (int j = 0; j < K; ++j) {
        double s = 0;
        for (int a = 0; a < r1; ++a)
          for (int b = 0; b < r2; ++b)
            for (int c = 0; c < r3; ++c) s += G[(a * r2 + b) * r3 + c] * Uo[q * r1 + a] * Ui[p * r2 + b] * Ub[j * r3 + c];
        T[(q * n_in + p) * K + j] = s;
      }
  return T;
}

inline const std::vector<models::TuckerFault>& tucker_faults() {
  static const std::vector<models::TuckerFault> f{models::TuckerFault::core, models::TuckerFault::out,
                                                  models::TuckerFault::in, models::TuckerFault::basis};
  return f;
}

inline const char* fault_name(models::TuckerFault f) {
  switch (f) {
    case models::TuckerFault::none: return "none";
    case models::TuckerFault::core: return "core";
    case models::TuckerFault::out: return "out";
    case models::TuckerFault::in: return "in";
    case models::TuckerFault::basis: return "basis";
    case models::TuckerFault::features: return "features";
  }
  return "?";
}

}  // namespace pinnkit::testing
