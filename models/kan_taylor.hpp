#pragma once
/// \brief Composition of a univariate function with one direction of a Taylor
/// jet (orders up to 4), split so that the KAN layer can apply it to many
/// functions (every B-spline basis and the SiLU base) that share the input.
///
/// For a(s) = f(z(s)), z(s) = z0 + z1 s + ... + z4 s^4, the coefficients are
///   a_k = sum_{r=1..k} f^(r)(z0) P_{k,r}(z1..zk)       (methods.md 1)
/// with the partition polynomials
///   P_11 = z1;  P_21 = z2, P_22 = z1^2/2;  P_31 = z3, P_32 = z1 z2, P_33 = z1^3/6;
///   P_41 = z4, P_42 = z1 z3 + z2^2/2, P_43 = z1^2 z2/2, P_44 = z1^4/24.
/// a_k is linear in the derivatives f^(r), so adjoints of many functions can
/// be contracted over the functions first (KanLayer backward).
#include <cstdint>

#include <Kokkos_Core.hpp>

#include "core/fast_math.hpp"
#include "core/math.hpp"
#include "core/real.hpp"

namespace pinnkit::models {

inline constexpr int kMaxTaylorOrder = 4;

/// P[r] = P_{k,r}(z) for r = 1..k; z[1..k] are the direction's coefficients
/// (index 0 unused). Precondition: 1 <= k <= 4.
KOKKOS_INLINE_FUNCTION void taylor_partitions(int k, const Real* z, Real* P) {
  switch (k) {
    case 1:
      P[1] = z[1];
      break;
    case 2:
      P[1] = z[2];
      P[2] = Real(0.5) * z[1] * z[1];
      break;
    case 3:
      P[1] = z[3];
      P[2] = z[1] * z[2];
      P[3] = z[1] * z[1] * z[1] / Real(6);
      break;
    default:
      P[1] = z[4];
      P[2] = z[1] * z[3] + Real(0.5) * z[2] * z[2];
      P[3] = Real(0.5) * z[1] * z[1] * z[2];
      P[4] = z[1] * z[1] * z[1] * z[1] / Real(24);
      break;
  }
}

/// Reverse of taylor_partitions: given e[r] = dL/dP_{k,r} (r = 1..k),
/// accumulates dz[m] += sum_r e[r] dP_{k,r}/dz_m for m = 1..k.
KOKKOS_INLINE_FUNCTION void taylor_partitions_adjoint(int k, const Real* z, const Real* e,
                                                      Real* dz) {
  switch (k) {
    case 1:
      dz[1] += e[1];
      break;
    case 2:
      dz[2] += e[1];
      dz[1] += e[2] * z[1];
      break;
    case 3:
      dz[3] += e[1];
      dz[1] += e[2] * z[2] + e[3] * Real(0.5) * z[1] * z[1];
      dz[2] += e[2] * z[1];
      break;
    default:
      dz[4] += e[1];
      dz[1] += e[2] * z[3] + e[3] * z[1] * z[2] + e[4] * z[1] * z[1] * z[1] / Real(6);
      dz[2] += e[2] * z[2] + e[3] * Real(0.5) * z[1] * z[1];
      dz[3] += e[2] * z[1];
      break;
  }
}

/// d[r] = silu^(r)(x) for r = 0..5, silu(x) = x sigma(x). Uses
/// silu^(r) = x sigma^(r) + r sigma^(r-1) and sigma' = sigma (1 - sigma).
/// Branch-free (math::exp_nonpositive), so a loop of calls vectorises.
KOKKOS_INLINE_FUNCTION void silu_derivatives(Real x, Real* d) {
  // Overflow-free logistic: exp of a non-positive argument only.
  const Real e = math::exp_nonpositive(x >= Real(0) ? -x : x);
  const Real inv = Real(1) / (Real(1) + e);
  const Real s0 = x >= Real(0) ? inv : e * inv;
  const Real g = Real(1) - Real(2) * s0;  // d/dx g = -2 s1
  const Real s1 = s0 * (Real(1) - s0);
  const Real s2 = s1 * g;
  const Real s3 = s2 * g - Real(2) * s1 * s1;
  const Real s4 = s3 * g - Real(6) * s1 * s2;
  const Real s5 = s4 * g - Real(8) * s1 * s3 - Real(6) * s2 * s2;
  d[0] = x * s0;
  d[1] = x * s1 + s0;
  d[2] = x * s2 + Real(2) * s1;
  d[3] = x * s3 + Real(3) * s2;
  d[4] = x * s4 + Real(4) * s3;
  d[5] = x * s5 + Real(5) * s4;
}

/// taylor_partitions for a block of B lanes: z[m][q], P[r][q]. The order
/// switch sits outside the lane loops so that they vectorise.
template <int Order, int B>
KOKKOS_INLINE_FUNCTION void taylor_partitions_lanes(const Real (*z)[B], Real (*P)[B]) {
  for (int q = 0; q < B; ++q) {
    Real zq[kMaxTaylorOrder + 1] = {}, Pq[kMaxTaylorOrder + 1] = {};
    for (int m = 1; m <= Order; ++m) zq[m] = z[m][q];
    taylor_partitions(Order, zq, Pq);
    for (int r = 1; r <= Order; ++r) P[r][q] = Pq[r];
  }
}

/// taylor_partitions_adjoint for a block of B lanes: dz[m][q] += ...
template <int Order, int B>
KOKKOS_INLINE_FUNCTION void taylor_partitions_adjoint_lanes(const Real (*z)[B], const Real (*e)[B],
                                                            Real (*dz)[B]) {
  for (int q = 0; q < B; ++q) {
    Real zq[kMaxTaylorOrder + 1] = {}, eq[kMaxTaylorOrder + 1] = {}, dq[kMaxTaylorOrder + 1] = {};
    for (int m = 1; m <= Order; ++m) zq[m] = z[m][q], eq[m] = e[m][q], dq[m] = dz[m][q];
    taylor_partitions_adjoint(Order, zq, eq, dq);
    for (int m = 1; m <= Order; ++m) dz[m][q] = dq[m];
  }
}

/// Block forms of taylor_partitions / taylor_partitions_adjoint over B
/// lanes (arrays indexed [order][lane]). Precondition: 1 <= k <= 4.
template <int B>
KOKKOS_INLINE_FUNCTION void taylor_partitions_block(int k, const Real (*z)[B], Real (*P)[B]) {
  switch (k) {
    case 1: taylor_partitions_lanes<1, B>(z, P); break;
    case 2: taylor_partitions_lanes<2, B>(z, P); break;
    case 3: taylor_partitions_lanes<3, B>(z, P); break;
    default: taylor_partitions_lanes<4, B>(z, P); break;
  }
}

template <int B>
KOKKOS_INLINE_FUNCTION void taylor_partitions_adjoint_block(int k, const Real (*z)[B],
                                                            const Real (*e)[B], Real (*dz)[B]) {
  switch (k) {
    case 1: taylor_partitions_adjoint_lanes<1, B>(z, e, dz); break;
    case 2: taylor_partitions_adjoint_lanes<2, B>(z, e, dz); break;
    case 3: taylor_partitions_adjoint_lanes<3, B>(z, e, dz); break;
    default: taylor_partitions_adjoint_lanes<4, B>(z, e, dz); break;
  }
}

}  // namespace pinnkit::models
