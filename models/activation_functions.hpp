#pragma once
/// \brief The activation functions and their derivatives f, f', ..., f^(5) in
/// closed form, callable inside kernels. Orders up to 4 drive the forward
/// jet recurrences; the 5th enters the adjoint w.r.t. z0 of order-4 jets.
///
/// Each functor fills d[0..5] = f^(k)(z).
#include "core/fast_math.hpp"
#include "core/math.hpp"
#include "core/real.hpp"

namespace pinnkit::models {

enum class ActivationKind { tanh, sin, cos, silu, gelu, softplus };

/// Functors with `has_value_form` also fill d[0..5] from the value f(z)
/// alone (eval_from_value), so a backward pass can skip recomputing f.
struct TanhFn {
  static constexpr bool has_value_form = true;
  /// fast_tanh, not libm's: it lets the kernels' feature loops vectorise.
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    eval_from_value(math::fast_tanh(z), d);
  }
  /// Polynomials in t = tanh z (d/dz P(t) = P'(t) (1 - t^2)).
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real t, Real* d) {
    const Real t2 = t * t;
    d[0] = t;
    d[1] = 1 - t2;
    d[2] = -2 * t * d[1];
    d[3] = -2 + t2 * (8 - 6 * t2);
    d[4] = t * (16 + t2 * (-40 + 24 * t2));
    d[5] = 16 + t2 * (-136 + t2 * (240 - 120 * t2));
  }
};

struct SinFn {
  static constexpr bool has_value_form = false;
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real, Real*) {}
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    const Real s = math::sin(z), c = math::cos(z);
    d[0] = s, d[1] = c, d[2] = -s, d[3] = -c, d[4] = s, d[5] = c;
  }
};

struct CosFn {
  static constexpr bool has_value_form = false;
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real, Real*) {}
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    const Real s = math::sin(z), c = math::cos(z);
    d[0] = c, d[1] = -s, d[2] = -c, d[3] = s, d[4] = c, d[5] = -s;
  }
};

/// sigma = 1/(1+e^-z) and its derivatives 0..5 as polynomials in sigma
/// (d/dz P(s) = P'(s) s (1 - s)).
KOKKOS_INLINE_FUNCTION void sigmoid_derivatives(Real z, Real* s) {
  // exp of a non-positive argument only: no overflow for large |z|.
  const Real e = math::exp(z < 0 ? z : -z);
  const Real x = z < 0 ? e / (1 + e) : 1 / (1 + e);
  const Real x2 = x * x;
  s[0] = x;
  s[1] = x - x2;
  s[2] = x + x2 * (-3 + 2 * x);
  s[3] = x + x2 * (-7 + x * (12 - 6 * x));
  s[4] = x + x2 * (-15 + x * (50 + x * (-60 + 24 * x)));
  s[5] = x + x2 * (-31 + x * (180 + x * (-390 + x * (360 - 120 * x))));
}

struct SoftplusFn {
  static constexpr bool has_value_form = false;
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real, Real*) {}
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    Real s[6];
    sigmoid_derivatives(z, s);
    // log(1 + e^z) = max(z, 0) + log1p(e^-|z|)
    d[0] = (z > 0 ? z : Real(0)) + math::log1p(math::exp(z < 0 ? z : -z));
    for (int k = 1; k <= 5; ++k) d[k] = s[k - 1];
  }
};

struct SiluFn {
  static constexpr bool has_value_form = false;
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real, Real*) {}
  /// f = z sigma: f^(k) = z sigma^(k) + k sigma^(k-1).
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    Real s[6];
    sigmoid_derivatives(z, s);
    d[0] = z * s[0];
    for (int k = 1; k <= 5; ++k) d[k] = z * s[k] + k * s[k - 1];
  }
};

struct GeluFn {
  static constexpr bool has_value_form = false;
  KOKKOS_INLINE_FUNCTION static void eval_from_value(Real, Real*) {}
  /// Tanh form: f = z (1 + T) / 2, T = tanh(u), u = c (z + a z^3). T^(k) by
  /// Faa di Bruno (complete Bell polynomials; u'''' = 0), then
  /// f^(k) = (z T^(k) + k T^(k-1)) / 2 for k >= 2, f' = (1 + T + z T') / 2.
  KOKKOS_INLINE_FUNCTION static void eval(Real z, Real* d) {
    const Real c = Real(0.7978845608028654), a = Real(0.044715);
    const Real u1 = c * (1 + 3 * a * z * z), u2 = 6 * a * c * z, u3 = 6 * a * c;
    Real t[6];
    TanhFn::eval(c * (z + a * z * z * z), t);
    Real T[6];
    T[0] = t[0];
    T[1] = t[1] * u1;
    T[2] = t[2] * u1 * u1 + t[1] * u2;
    T[3] = t[3] * u1 * u1 * u1 + 3 * t[2] * u1 * u2 + t[1] * u3;
    T[4] = t[4] * u1 * u1 * u1 * u1 + 6 * t[3] * u1 * u1 * u2 +
           t[2] * (3 * u2 * u2 + 4 * u1 * u3);
    T[5] = t[5] * u1 * u1 * u1 * u1 * u1 + 10 * t[4] * u1 * u1 * u1 * u2 +
           t[3] * (15 * u1 * u2 * u2 + 10 * u1 * u1 * u3) + t[2] * (10 * u2 * u3);
    d[0] = Real(0.5) * z * (1 + T[0]);
    d[1] = Real(0.5) * (1 + T[0] + z * T[1]);
    for (int k = 2; k <= 5; ++k) d[k] = Real(0.5) * (z * T[k] + k * T[k - 1]);
  }
};

/// Calls f(Functor{}) with the functor of `kind` (one dispatch per kernel launch).
template <class F>
void dispatch_activation(ActivationKind kind, F&& f) {
  switch (kind) {
    case ActivationKind::tanh: f(TanhFn{}); break;
    case ActivationKind::sin: f(SinFn{}); break;
    case ActivationKind::cos: f(CosFn{}); break;
    case ActivationKind::silu: f(SiluFn{}); break;
    case ActivationKind::gelu: f(GeluFn{}); break;
    case ActivationKind::softplus: f(SoftplusFn{}); break;
  }
}

}  // namespace pinnkit::models
