#pragma once
/// \brief B-splines of degree 1..5 on a uniform extended grid, and their
/// derivatives up to order 5, evaluated where they are nonzero (device code).
///
/// A grid of G intervals on [a, b] (h = (b-a)/G) is extended by k intervals on
/// each side: knots t_j = a + (j-k) h, j = 0..G+2k, and K = G + k basis
/// functions B_0..B_{K-1} (the efficient-kan / pykan convention). At x in
/// [t_mu, t_mu+1) only B_{mu-k..mu} are nonzero; outside [t_0, t_{G+2k}) every
/// basis is 0. Derivatives use the uniform-knot identity (methods.md 2)
///   D^m B_{i,k} = h^-m sum_l (-1)^l C(m,l) B_{i+l,k-m},
/// so every order comes from the one Cox-de Boor triangle; orders above the
/// degree are 0 (away from knots).
#include <Kokkos_Core.hpp>

#include "core/real.hpp"

namespace pinnkit::models {

inline constexpr int kMaxSplineDegree = 5;
/// Highest derivative order evaluated: order-4 jets need the 5th derivative
/// in their reverse pass.
inline constexpr int kMaxSplineOrder = 5;

/// A uniform grid of `intervals` intervals on [lo, hi] for degree `degree`.
struct SplineGrid {
  Real lo = -1;
  Real hi = 1;
  int intervals = 5;
  int degree = 3;

  KOKKOS_INLINE_FUNCTION Real step() const { return (hi - lo) / Real(intervals); }
  KOKKOS_INLINE_FUNCTION int basis_count() const { return intervals + degree; }
  /// Knot t_j = a + (j - k) h of the extended grid, j = 0..G+2k.
  KOKKOS_INLINE_FUNCTION Real knot(int j) const { return lo + Real(j - degree) * step(); }
};

/// The k+1 bases that may be nonzero at one point, and their derivatives.
/// d[m][j] = D^m B_{first+j}(x) for m = 0..max_order, j = 0..degree.
/// `first` may be negative and first+j may reach K near the ends of the
/// extended grid: those bases do not exist and their entries must be skipped.
/// When `inside` is false every basis is 0 at x and d is all zero.
struct LocalBasis {
  int first = 0;
  bool inside = false;
  Real d[kMaxSplineOrder + 1][kMaxSplineDegree + 1] = {};

  KOKKOS_INLINE_FUNCTION bool exists(int j, int basis_count) const {
    return inside && first + j >= 0 && first + j < basis_count;
  }
};

/// C(m, l) for 0 <= l <= m (a constant once the caller's loops unroll).
KOKKOS_INLINE_FUNCTION constexpr int binomial(int m, int l) {
  int c = 1;
  for (int i = 1; i <= l; ++i) c = c * (m - l + i) / i;
  return c;
}

/// The k+1 possibly nonzero bases for a degree known at compile time: the
/// form the KAN kernels use (fixed-size loops unroll, no 6x6 table to clear).
/// d[m][j] = D^m B_{first+j}(x) is written for m = 0..max_order; rows above
/// the degree are 0. Same conventions as LocalBasis.
template <int Degree>
struct SpanBasis {
  int first = 0;
  bool inside = false;
  Real d[kMaxSplineOrder + 1][Degree + 1];
};

/// Evaluates the nonzero bases at x of a grid on [lo, hi] with `intervals`
/// intervals and degree `Degree`, with derivatives up to `max_order`
/// (<= kMaxSplineOrder). Outside the extended grid `inside` is false and d
/// is 0 up to max_order. Writes into `out` rather than returning it: a
/// returned copy of the table showed up in the KAN kernels' profiles.
template <int Degree>
KOKKOS_INLINE_FUNCTION void eval_span_basis(Real lo, Real hi, int intervals, Real x, int max_order,
                                            SpanBasis<Degree>& out) {
  static_assert(Degree >= 1 && Degree <= kMaxSplineDegree, "B-spline degree must be 1..5");
  constexpr int k = Degree;
  out.first = 0;
  out.inside = false;
  for (int m = 0; m <= max_order; ++m)
    for (int j = 0; j <= k; ++j) out.d[m][j] = 0;
  const Real h = (hi - lo) / Real(intervals);
  // Position in units of h from t_0; the comparison form also rejects NaN.
  const Real s = (x - lo) / h + Real(k);
  const int n_intervals = intervals + 2 * k;
  if (!(s >= Real(0) && s < Real(n_intervals))) return;
  int mu = int(s);
  if (mu >= n_intervals) mu = n_intervals - 1;  // rounding at the right end
  const Real u = s - Real(mu);
  out.first = mu - k;
  out.inside = true;

  // Cox-de Boor triangle in local form: level[p][j] = B_{mu-p+j, p}(x). With
  // uniform knots (x - t_i)/h = u + p - j and (t_{i+p+1} - x)/h = j + 1 - u.
  Real level[k + 1][k + 1];
  level[0][0] = 1;
  for (int p = 1; p <= k; ++p) {
    const Real inv_p = Real(1) / Real(p);
    for (int j = 0; j <= p; ++j) {
      const Real left = j >= 1 ? (u + Real(p - j)) * level[p - 1][j - 1] : Real(0);
      const Real right = j <= p - 1 ? (Real(j + 1) - u) * level[p - 1][j] : Real(0);
      level[p][j] = (left + right) * inv_p;
    }
  }

  // D^m B_{mu-k+j, k} = h^-m sum_l (-1)^l C(m,l) B_{mu-k+j+l, k-m}; in the
  // degree-(k-m) level that basis sits at index j + l - m. Every loop bound
  // is a constant (m stops at the degree: higher orders vanish), so the
  // loops unroll and the binomials fold; a runtime bound here cost a chain
  // of divisions per point.
  const Real inv_h = Real(1) / h;
  Real inv_h_pow = 1;
  for (int m = 0; m <= k; ++m) {
    if (m > max_order) break;
    const int q = k - m;
    for (int j = 0; j <= k; ++j) {
      Real acc = 0;
      for (int l = 0; l <= m; ++l) {
        const int idx = j + l - m;
        const Real binom = Real(binomial(m, l));
        if (idx >= 0 && idx <= q) acc += ((l & 1) ? -binom : binom) * level[q][idx];
      }
      out.d[m][j] = acc * inv_h_pow;
    }
    inv_h_pow *= inv_h;
  }
}

/// Evaluates the nonzero bases of `grid` at x and their derivatives up to
/// `max_order` (<= kMaxSplineOrder). Precondition: 1 <= degree <= 5.
KOKKOS_INLINE_FUNCTION LocalBasis eval_local_basis(const SplineGrid& grid, Real x,
                                                   int max_order) {
  LocalBasis out;
  const int top = max_order < kMaxSplineOrder ? max_order : kMaxSplineOrder;
  auto widen = [&](auto span, int degree) {
    eval_span_basis(grid.lo, grid.hi, grid.intervals, x, top, span);
    out.first = span.first;
    out.inside = span.inside;
    for (int m = 0; m <= top; ++m)
      for (int j = 0; j <= degree; ++j) out.d[m][j] = span.d[m][j];
  };
  switch (grid.degree) {
    case 1: widen(SpanBasis<1>(), 1); break;
    case 2: widen(SpanBasis<2>(), 2); break;
    case 3: widen(SpanBasis<3>(), 3); break;
    case 4: widen(SpanBasis<4>(), 4); break;
    default: widen(SpanBasis<5>(), 5); break;
  }
  return out;
}

}  // namespace pinnkit::models
