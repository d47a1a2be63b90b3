#pragma once
/// \brief Truncated univariate Taylor series (coefficients c_0..c_K of
/// f(s) = sum c_k s^k, not derivatives) with the standard recurrences, so
/// that a compiled expression (pde/expr_program.hpp) evaluates a field of the
/// inputs along a jet direction: feed x(s) = x + s v, read back the jets.
///
/// Host and device. The expression interpreter finds the do_* hooks below by
/// argument-dependent lookup, so expr_program.hpp needs no change for them.
/// Non-smooth functions (abs, min, max) pick the smooth piece at c_0.
#include "core/math.hpp"
#include "core/real.hpp"

namespace pinnkit::pde::series {

template <int K>
struct Taylor {
  static_assert(K >= 0, "Taylor: negative order");
  Real c[K + 1] = {};

  KOKKOS_INLINE_FUNCTION Taylor() = default;
  /// A constant: c_0 = value, higher coefficients 0.
  KOKKOS_INLINE_FUNCTION explicit Taylor(Real value) { c[0] = value; }
  /// The series of the line value + s * slope.
  KOKKOS_INLINE_FUNCTION static Taylor line(Real value, Real slope) {
    Taylor t(value);
    if (K > 0) t.c[1] = slope;
    return t;
  }

  KOKKOS_INLINE_FUNCTION Taylor& operator+=(const Taylor& o) {
    for (int k = 0; k <= K; ++k) c[k] += o.c[k];
    return *this;
  }
  KOKKOS_INLINE_FUNCTION Taylor& operator-=(const Taylor& o) {
    for (int k = 0; k <= K; ++k) c[k] -= o.c[k];
    return *this;
  }
  /// Cauchy product, from the top so that lower coefficients are still unchanged.
  KOKKOS_INLINE_FUNCTION Taylor& operator*=(const Taylor& o) {
    for (int k = K; k >= 0; --k) {
      Real s = 0;
      for (int j = 0; j <= k; ++j) s += c[j] * o.c[k - j];
      c[k] = s;
    }
    return *this;
  }
  /// q = a / b: q_k = (a_k - sum_{j=1..k} b_j q_{k-j}) / b_0.
  KOKKOS_INLINE_FUNCTION Taylor& operator/=(const Taylor& b) {
    const Real inv = Real(1) / b.c[0];
    for (int k = 0; k <= K; ++k) {
      Real s = c[k];
      for (int j = 1; j <= k; ++j) s -= b.c[j] * c[k - j];
      c[k] = s * inv;
    }
    return *this;
  }
};

template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> operator+(Taylor<K> a, const Taylor<K>& b) { return a += b; }
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> operator-(Taylor<K> a, const Taylor<K>& b) { return a -= b; }
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> operator*(Taylor<K> a, const Taylor<K>& b) { return a *= b; }
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> operator/(Taylor<K> a, const Taylor<K>& b) { return a /= b; }
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> operator-(Taylor<K> a) {
  for (int k = 0; k <= K; ++k) a.c[k] = -a.c[k];
  return a;
}
/// Comparisons look at values only (min/max pick a smooth piece).
template <int K>
KOKKOS_INLINE_FUNCTION bool operator<(const Taylor<K>& a, const Taylor<K>& b) { return a.c[0] < b.c[0]; }
template <int K>
KOKKOS_INLINE_FUNCTION bool operator>(const Taylor<K>& a, const Taylor<K>& b) { return a.c[0] > b.c[0]; }

namespace detail {

/// y with y' = sign * z a' and z' = y a' given y_0, z_0 (sin/cos: sign -1 for
/// cos's equation; sinh/cosh: +1). k y_k = sum_j j a_j z_{k-j}.
template <int K>
KOKKOS_INLINE_FUNCTION void trig_pair(const Taylor<K>& a, Real y0, Real z0, Real sign, Taylor<K>& y,
                                      Taylor<K>& z) {
  y.c[0] = y0;
  z.c[0] = z0;
  for (int k = 1; k <= K; ++k) {
    Real sy = 0, sz = 0;
    for (int j = 1; j <= k; ++j) {
      sy += j * a.c[j] * z.c[k - j];
      sz += j * a.c[j] * y.c[k - j];
    }
    y.c[k] = sy / k;
    z.c[k] = sign * sz / k;
  }
}

/// y with y' = (1 + sign y^2) a': tan (sign +1) and tanh (sign -1).
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> square_ode(const Taylor<K>& a, Real y0, Real sign) {
  Taylor<K> y(y0), w;  // w = 1 + sign y^2, filled as y grows
  for (int k = 0; k <= K; ++k) {
    if (k > 0) {
      Real s = 0;
      for (int j = 1; j <= k; ++j) s += j * a.c[j] * w.c[k - j];
      y.c[k] = s / k;
    }
    Real sq = 0;
    for (int i = 0; i <= k; ++i) sq += y.c[i] * y.c[k - i];
    w.c[k] = (k == 0 ? Real(1) : Real(0)) + sign * sq;
  }
  return y;
}

}  // namespace detail

template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> sin(const Taylor<K>& a) {
  Taylor<K> s, c;
  detail::trig_pair(a, math::sin(a.c[0]), math::cos(a.c[0]), Real(-1), s, c);
  return s;
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> cos(const Taylor<K>& a) {
  Taylor<K> s, c;
  detail::trig_pair(a, math::sin(a.c[0]), math::cos(a.c[0]), Real(-1), s, c);
  return c;
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> sinh(const Taylor<K>& a) {
  Taylor<K> s, c;
  detail::trig_pair(a, math::sinh(a.c[0]), math::cosh(a.c[0]), Real(1), s, c);
  return s;
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> cosh(const Taylor<K>& a) {
  Taylor<K> s, c;
  detail::trig_pair(a, math::sinh(a.c[0]), math::cosh(a.c[0]), Real(1), s, c);
  return c;
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> sech(const Taylor<K>& a) {
  return Taylor<K>(Real(1)) / cosh(a);
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> tan(const Taylor<K>& a) {
  return detail::square_ode(a, math::tan(a.c[0]), Real(1));
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> tanh(const Taylor<K>& a) {
  return detail::square_ode(a, math::tanh(a.c[0]), Real(-1));
}
/// y = exp(a): k y_k = sum_{j=1..k} j a_j y_{k-j}.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> exp(const Taylor<K>& a) {
  Taylor<K> y(math::exp(a.c[0]));
  for (int k = 1; k <= K; ++k) {
    Real s = 0;
    for (int j = 1; j <= k; ++j) s += j * a.c[j] * y.c[k - j];
    y.c[k] = s / k;
  }
  return y;
}
/// y = log(a): a_0 y_k = a_k - (1/k) sum_{j=1..k-1} j y_j a_{k-j}.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> log(const Taylor<K>& a) {
  Taylor<K> y(math::log(a.c[0]));
  for (int k = 1; k <= K; ++k) {
    Real s = 0;
    for (int j = 1; j < k; ++j) s += j * y.c[j] * a.c[k - j];
    y.c[k] = (a.c[k] - s / k) / a.c[0];
  }
  return y;
}
/// y = sqrt(a): 2 y_0 y_k = a_k - sum_{j=1..k-1} y_j y_{k-j}.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> sqrt(const Taylor<K>& a) {
  Taylor<K> y(math::sqrt(a.c[0]));
  for (int k = 1; k <= K; ++k) {
    Real s = a.c[k];
    for (int j = 1; j < k; ++j) s -= y.c[j] * y.c[k - j];
    y.c[k] = s / (2 * y.c[0]);
  }
  return y;
}
/// y = a^p for a real p: k a_0 y_k = sum_{j=1..k} (p j - (k - j)) a_j y_{k-j}.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> pow(const Taylor<K>& a, Real p) {
  Taylor<K> y(math::pow(a.c[0], p));
  for (int k = 1; k <= K; ++k) {
    Real s = 0;
    for (int j = 1; j <= k; ++j) s += (p * j - (k - j)) * a.c[j] * y.c[k - j];
    y.c[k] = s / (k * a.c[0]);
  }
  return y;
}
/// a^n by repeated squaring: exact for every base, zero included.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> pow(const Taylor<K>& a, int n) {
  if (n < 0) return Taylor<K>(Real(1)) / pow(a, -n);
  Taylor<K> result(Real(1)), base = a;
  while (n > 0) {
    if (n & 1) result *= base;
    n >>= 1;
    if (n > 0) base *= base;
  }
  return result;
}
/// a^b: a real power where b is constant along the series, exp(b log a) otherwise.
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> pow(const Taylor<K>& a, const Taylor<K>& b) {
  bool varies = false;
  for (int k = 1; k <= K; ++k) varies = varies || b.c[k] != Real(0);
  return varies ? exp(b * log(a)) : pow(a, b.c[0]);
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> abs(const Taylor<K>& a) {
  return a.c[0] < Real(0) ? -a : a;
}

// The hooks of the expression interpreter (expr_detail::run), found by ADL.
#define PINNKIT_TAYLOR_HOOK(name) \
  template <int K>                \
  KOKKOS_INLINE_FUNCTION Taylor<K> do_##name(const Taylor<K>& a) { return name(a); }
PINNKIT_TAYLOR_HOOK(sin)
PINNKIT_TAYLOR_HOOK(cos)
PINNKIT_TAYLOR_HOOK(tan)
PINNKIT_TAYLOR_HOOK(exp)
PINNKIT_TAYLOR_HOOK(log)
PINNKIT_TAYLOR_HOOK(sqrt)
PINNKIT_TAYLOR_HOOK(abs)
PINNKIT_TAYLOR_HOOK(tanh)
PINNKIT_TAYLOR_HOOK(sinh)
PINNKIT_TAYLOR_HOOK(cosh)
PINNKIT_TAYLOR_HOOK(sech)
#undef PINNKIT_TAYLOR_HOOK
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> do_pow_int(const Taylor<K>& a, int n) {
  return pow(a, n);
}
template <int K>
KOKKOS_INLINE_FUNCTION Taylor<K> do_pow(const Taylor<K>& a, const Taylor<K>& b) {
  return pow(a, b);
}

}  // namespace pinnkit::pde::series
