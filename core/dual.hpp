#pragma once
/// \brief Forward-mode dual numbers with N tangents, usable inside kernels.
///
/// Used to get the reverse-pass seeds of a PDE residual: evaluate
/// R(u, u_x, u_xx, ...) once on duals whose tangents are unit vectors on the
/// jet entries R reads, and read dR/de off the tangents (methods.md 1).
/// Comparisons look at values only (branches pick a smooth piece).
#include "core/math.hpp"
#include "core/real.hpp"

namespace pinnkit {

template <int N, class T = Real>
struct Dual {
  static_assert(N >= 0, "Dual: negative tangent count");
  using value_type = T;
  T v = 0;
  T d[N > 0 ? N : 1] = {};

  KOKKOS_INLINE_FUNCTION Dual() = default;
  KOKKOS_INLINE_FUNCTION Dual(T value) : v(value) {}  // NOLINT: constants mix in freely
  /// A variable: value `value`, tangent e_i.
  KOKKOS_INLINE_FUNCTION static Dual variable(T value, int i) {
    Dual x(value);
    x.d[i] = 1;
    return x;
  }
  /// f(this) given f(v) and f'(v): the chain rule on every tangent.
  KOKKOS_INLINE_FUNCTION Dual chain(T f, T df) const {
    Dual r(f);
    for (int i = 0; i < N; ++i) r.d[i] = df * d[i];
    return r;
  }

  KOKKOS_INLINE_FUNCTION Dual& operator+=(const Dual& o) {
    v += o.v;
    for (int i = 0; i < N; ++i) d[i] += o.d[i];
    return *this;
  }
  KOKKOS_INLINE_FUNCTION Dual& operator-=(const Dual& o) {
    v -= o.v;
    for (int i = 0; i < N; ++i) d[i] -= o.d[i];
    return *this;
  }
  KOKKOS_INLINE_FUNCTION Dual& operator*=(const Dual& o) {
    for (int i = 0; i < N; ++i) d[i] = d[i] * o.v + v * o.d[i];
    v *= o.v;
    return *this;
  }
  KOKKOS_INLINE_FUNCTION Dual& operator/=(const Dual& o) {
    const T inv = T(1) / o.v;
    v *= inv;
    for (int i = 0; i < N; ++i) d[i] = (d[i] - v * o.d[i]) * inv;
    return *this;
  }
};

#define PINNKIT_DUAL_BINARY(op, opeq)                                                              \
  template <int N, class T>                                                                        \
  KOKKOS_INLINE_FUNCTION Dual<N, T> operator op(Dual<N, T> a, const Dual<N, T>& b) {               \
    return a opeq b;                                                                               \
  }                                                                                                \
  template <int N, class T>                                                                        \
  KOKKOS_INLINE_FUNCTION Dual<N, T> operator op(Dual<N, T> a, typename Dual<N, T>::value_type b) { \
    return a opeq Dual<N, T>(b);                                                                   \
  }                                                                                                \
  template <int N, class T>                                                                        \
  KOKKOS_INLINE_FUNCTION Dual<N, T> operator op(typename Dual<N, T>::value_type a,                 \
                                                const Dual<N, T>& b) {                             \
    return Dual<N, T>(a) opeq b;                                                                   \
  }
PINNKIT_DUAL_BINARY(+, +=)
PINNKIT_DUAL_BINARY(-, -=)
PINNKIT_DUAL_BINARY(*, *=)
PINNKIT_DUAL_BINARY(/, /=)
#undef PINNKIT_DUAL_BINARY

template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> operator-(const Dual<N, T>& a) {
  return a.chain(-a.v, T(-1));
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> operator+(const Dual<N, T>& a) {
  return a;
}

#define PINNKIT_DUAL_COMPARE(op)                                                      \
  template <int N, class T>                                                           \
  KOKKOS_INLINE_FUNCTION bool operator op(const Dual<N, T>& a, const Dual<N, T>& b) { \
    return a.v op b.v;                                                                \
  }                                                                                   \
  template <int N, class T>                                                           \
  KOKKOS_INLINE_FUNCTION bool operator op(const Dual<N, T>& a,                        \
                                          typename Dual<N, T>::value_type b) {        \
    return a.v op b;                                                                  \
  }                                                                                   \
  template <int N, class T>                                                           \
  KOKKOS_INLINE_FUNCTION bool operator op(typename Dual<N, T>::value_type a,          \
                                          const Dual<N, T>& b) {                      \
    return a op b.v;                                                                  \
  }
PINNKIT_DUAL_COMPARE(<)
PINNKIT_DUAL_COMPARE(<=)
PINNKIT_DUAL_COMPARE(>)
PINNKIT_DUAL_COMPARE(>=)
PINNKIT_DUAL_COMPARE(==)
PINNKIT_DUAL_COMPARE(!=)
#undef PINNKIT_DUAL_COMPARE

template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> sin(const Dual<N, T>& a) {
  return a.chain(math::sin(a.v), math::cos(a.v));
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> cos(const Dual<N, T>& a) {
  return a.chain(math::cos(a.v), -math::sin(a.v));
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> tan(const Dual<N, T>& a) {
  const T t = math::tan(a.v);
  return a.chain(t, T(1) + t * t);
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> exp(const Dual<N, T>& a) {
  const T e = math::exp(a.v);
  return a.chain(e, e);
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> log(const Dual<N, T>& a) {
  return a.chain(math::log(a.v), T(1) / a.v);
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> sqrt(const Dual<N, T>& a) {
  const T s = math::sqrt(a.v);
  return a.chain(s, T(0.5) / s);
}
/// |a|; the derivative at 0 is taken as 0 (subgradient).
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> abs(const Dual<N, T>& a) {
  return a.chain(a.v < 0 ? -a.v : a.v, a.v > 0 ? T(1) : (a.v < 0 ? T(-1) : T(0)));
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> tanh(const Dual<N, T>& a) {
  const T t = math::tanh(a.v);
  return a.chain(t, T(1) - t * t);
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> sinh(const Dual<N, T>& a) {
  return a.chain(math::sinh(a.v), math::cosh(a.v));
}
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> cosh(const Dual<N, T>& a) {
  return a.chain(math::cosh(a.v), math::sinh(a.v));
}
/// a^n for an integer n by repeated squaring (exact derivative n a^(n-1),
/// defined at a = 0 for n >= 1).
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> pow(const Dual<N, T>& a, int n) {
  if (n < 0) return Dual<N, T>(T(1)) / pow(a, -n);
  Dual<N, T> result(T(1)), base = a;
  while (n > 0) {
    if (n & 1) result *= base;
    n >>= 1;
    if (n > 0) base *= base;
  }
  return result;
}
/// a^p for a real exponent (a > 0, or any a when p is an integer value).
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> pow(const Dual<N, T>& a, typename Dual<N, T>::value_type p) {
  const int n = static_cast<int>(p);
  if (static_cast<T>(n) == p) return pow(a, n);
  const T f = math::pow(a.v, p);
  return a.chain(f, p * math::pow(a.v, p - T(1)));
}
/// a^b with both varying (a > 0).
template <int N, class T>
KOKKOS_INLINE_FUNCTION Dual<N, T> pow(const Dual<N, T>& a, const Dual<N, T>& b) {
  return exp(b * log(a));
}

}  // namespace pinnkit
