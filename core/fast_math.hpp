#pragma once
/// \brief exp (of a non-positive argument) and tanh in plain, branch-free
/// arithmetic, so that a loop of calls auto-vectorises (libm's are scalar
/// calls that stop the activation and KAN kernels' loops from vectorising).
/// Callable on every backend.
///
/// Both rest on exp_parts: y = k ln2 + r (Cody-Waite split of ln2,
/// |r| <= ln2/2), exp(y) = 2^k (1 + expm1(r)) with expm1(r) by its Taylor
/// polynomial and 2^k built from exponent bits.
///
/// tanh: with a = |x| clamped where tanh rounds to 1,
///   em = expm1(-2a) = 2^k expm1(r) + (2^k - 1), tanh(a) = -em / (2 + em),
/// which has no cancellation at small a. Every select works on integer bit
/// patterns rather than floating-point comparisons, so a NaN passes through
/// quietly (no FE_INVALID), like libm. Accuracy (tests/core/test_fast_math.cpp):
/// max 2.5 ulp in both precisions; exact x for tiny |x| (signed zeros and
/// denormals included), exactly +-1 for large |x| and +-inf, NaN in -> NaN out.
#include <cstdint>
#include <cstring>

#include "core/kokkos.hpp"

namespace pinnkit::math {
namespace detail {

/// std::bit_cast for C++17: memcpy of a scalar compiles to a register move
/// on host and device compilers alike. HIP's clang rejects std::memcpy (a
/// host function) in device code but has the builtin on both sides; nvcc
/// accepts memcpy in device code.
template <class To, class From>
KOKKOS_FORCEINLINE_FUNCTION To bit_copy(const From& from) {
  static_assert(sizeof(To) == sizeof(From), "bit_copy: sizes differ");
  To to;
#if defined(__HIP__)
  __builtin_memcpy(&to, &from, sizeof(To));
#else
  std::memcpy(&to, &from, sizeof(To));
#endif
  return to;
}

}  // namespace detail

/// exp(y) = scale (1 + expm1_r), scale = 2^k exactly.
template <class T>
struct ExpParts {
  T scale;
  T expm1_r;
};

/// exp_parts for y in [-708, 0] (2^k stays normal). Taylor to degree 13:
/// truncation < 2e-17 relative on |r| <= ln2/2.
KOKKOS_INLINE_FUNCTION ExpParts<double> exp_parts(double y) {
  using detail::bit_copy;
  const double inv_ln2 = 1.4426950408889634;
  const double ln2_hi = 6.93147180369123816490e-01;  // low bits zero: k ln2_hi exact
  const double ln2_lo = 1.90821492927058770002e-10;
  // Adding 1.5 * 2^52 rounds to an integer, which then sits in the low
  // mantissa bits: k without a float-to-int conversion.
  const double round_shift = 6755399441055744.0;
  const double shifted = y * inv_ln2 + round_shift;
  const double kd = shifted - round_shift;
  const double r = (y - kd * ln2_hi) - kd * ln2_lo;
  // (bits + 1023) << 52: the shift drops the 1.5 * 2^52 part, leaving k's biased exponent.
  const double scale = bit_copy<double>((bit_copy<std::uint64_t>(shifted) + 1023u) << 52);
  // expm1(r) = r + r^2 q(r); the leading r is added last to keep its full precision.
  const double q =
      1.0 / 2 +
      r * (1.0 / 6 +
           r * (1.0 / 24 +
                r * (1.0 / 120 +
                     r * (1.0 / 720 +
                          r * (1.0 / 5040 +
                               r * (1.0 / 40320 +
                                    r * (1.0 / 362880 +
                                         r * (1.0 / 3628800 +
                                              r * (1.0 / 39916800 +
                                                   r * (1.0 / 479001600 +
                                                        r * (1.0 / 6227020800.0)))))))))));
  return {scale, r + r * r * q};
}

/// exp_parts for y in [-87, 0] in float. Taylor to degree 7: truncation
/// < 1.6e-8 relative (a quarter ulp); a degree-8 term did not change the
/// measured max error of fast_tanh.
KOKKOS_INLINE_FUNCTION ExpParts<float> exp_parts(float y) {
  using detail::bit_copy;
  const float inv_ln2 = 1.44269504f;
  const float ln2_hi = 0.693145751953125f;  // 0x3f317200: k ln2_hi exact
  const float ln2_lo = 1.428606765330187e-06f;
  const float round_shift = 12582912.0f;  // 1.5 * 2^23
  const float shifted = y * inv_ln2 + round_shift;
  const float kd = shifted - round_shift;
  const float r = (y - kd * ln2_hi) - kd * ln2_lo;
  const float scale = bit_copy<float>((bit_copy<std::uint32_t>(shifted) + 127u) << 23);
  const float q =
      1.0f / 2 +
      r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))));
  return {scale, r + r * r * q};
}

/// exp(y) for y <= 0. Below the clamp (-708 in double, -87 in float, where
/// 2^k would leave the normal range) it returns exp(clamp), ~1e-308
/// (1e-38) instead of a smaller number. Within 2 ulp of exp on [clamp, 0]
/// (tests/core/test_fast_math.cpp).
KOKKOS_INLINE_FUNCTION double exp_nonpositive(double y) {
  const auto p = exp_parts(y > -708.0 ? y : -708.0);
  return p.scale + p.scale * p.expm1_r;
}
KOKKOS_INLINE_FUNCTION float exp_nonpositive(float y) {
  const auto p = exp_parts(y > -87.0f ? y : -87.0f);
  return p.scale + p.scale * p.expm1_r;
}

/// tanh(x) in double, within 3 ulp (see the file's \brief).
KOKKOS_INLINE_FUNCTION double fast_tanh(double x) {
  using detail::bit_copy;
  const std::uint64_t bits = bit_copy<std::uint64_t>(x);
  const std::uint64_t sign = bits & 0x8000000000000000ull;
  const std::uint64_t abits = bits & 0x7fffffffffffffffull;
  // Below 2^-28, tanh x = x (1 - x^2/3) rounds to x; at 20 and above it rounds
  // to 1 (1 - tanh 20 ~ 8e-18 < half an ulp below 1).
  const std::uint64_t tiny_bits = 0x3e30000000000000ull;   // 2^-28
  const std::uint64_t clamp_bits = 0x4034000000000000ull;  // 20.0
  const std::uint64_t inf_bits = 0x7ff0000000000000ull;
  // inf and NaN clamp too; NaN is put back at the end.
  const double a = abits > clamp_bits ? 20.0 : bit_copy<double>(abits);

  // y = -2a in [-40, 0]: k in [-58, 0], 2^k normal.
  const auto e = exp_parts(-2 * a);
  const double em = e.scale * e.expm1_r + (e.scale - 1);  // expm1(-2a), no cancellation
  const double t = -em / (2 + em);

  const double signed_t = bit_copy<double>(bit_copy<std::uint64_t>(t) | sign);
  return abits < tiny_bits ? x : abits > inf_bits ? x : signed_t;
}

/// tanh(x) in float, within 3 ulp (see the file's \brief).
KOKKOS_INLINE_FUNCTION float fast_tanh(float x) {
  using detail::bit_copy;
  const std::uint32_t bits = bit_copy<std::uint32_t>(x);
  const std::uint32_t sign = bits & 0x80000000u;
  const std::uint32_t abits = bits & 0x7fffffffu;
  // Below 2^-13, tanh x rounds to x; at 10 and above it rounds to 1
  // (at 9, 1 - tanh 9 ~ 3.05e-8 is still just over half an ulp below 1).
  const std::uint32_t tiny_bits = 0x39000000u;   // 2^-13
  const std::uint32_t clamp_bits = 0x41200000u;  // 10.0f
  const std::uint32_t inf_bits = 0x7f800000u;
  const float a = abits > clamp_bits ? 10.0f : bit_copy<float>(abits);

  const auto e = exp_parts(-2 * a);  // y = -2a in [-20, 0]: k in [-29, 0]
  const float em = e.scale * e.expm1_r + (e.scale - 1);
  const float t = -em / (2 + em);

  const float signed_t = bit_copy<float>(bit_copy<std::uint32_t>(t) | sign);
  return abits < tiny_bits ? x : abits > inf_bits ? x : signed_t;
}

}  // namespace pinnkit::math
