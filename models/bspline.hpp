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

/// The span bases of a block of B inputs at one point each (lane q: input
/// q of the block), laid out [order][basis][lane] so that the KAN kernels'
/// loops over lanes vectorise. d[m][j][q] = D^m B_{first[q]+j}(x_q) where
/// that basis exists (0 <= first[q]+j < K) and x_q lies inside its extended
/// grid, else 0: masked entries can be multiplied through without checks.
template <int Degree, int B>
struct SpanBasisBlock {
  alignas(64) Real d[kMaxSplineOrder + 1][Degree + 1][B];
  int first[B];
};

namespace detail {

/// Orders M.. of eval_span_basis_block: D^M B_{mu-k+j, k} = h^-M sum_l
/// (-1)^l C(M,l) B_{mu-k+j+l, k-M} (see eval_span_basis), one order per
/// instantiation so that every j, l loop unrolls and only the lane loops
/// remain; each d row is written once (partial writes read back in the next
/// order cost store-forwarding stalls). Stops at the degree or max_order.
template <int Degree, int B, int M>
KOKKOS_INLINE_FUNCTION void span_derivatives(const Real (&level)[Degree + 1][Degree + 1][B],
                                             const Real (&mask)[Degree + 1][B], const Real* inv_h,
                                             int max_order, Real (&scale)[B],
                                             Real (&d)[kMaxSplineOrder + 1][Degree + 1][B]) {
  if constexpr (M <= Degree) {
    if (M > max_order) return;
    constexpr int qd = Degree - M;
    for (int j = 0; j <= Degree; ++j) {
      // Terms outside the level get weight 0 and a clamped (valid) index:
      // unconditional loads, which the lane loop can vectorise. (A per-lane
      // accumulator array summed over l with a `continue` for those terms
      // gave wrong values at degrees 1 and 2 under GCC 12.2 -O3, right ones
      // with -fno-tree-loop-vectorize; test_kan_features checks every degree.)
      Real weight[M + 1];
      int at[M + 1];
      for (int l = 0; l <= M; ++l) {
        const int idx = j + l - M;
        const Real binom = Real(binomial(M, l));
        weight[l] = idx >= 0 && idx <= qd ? ((l & 1) ? -binom : binom) : Real(0);
        at[l] = idx < 0 ? 0 : idx > qd ? qd : idx;
      }
      for (int q = 0; q < B; ++q) {
        Real acc = 0;
        for (int l = 0; l <= M; ++l) acc += weight[l] * level[qd][at[l]][q];
        d[M][j][q] = acc * scale[q] * mask[j][q];
      }
    }
    for (int q = 0; q < B; ++q) scale[q] *= inv_h[q];
    span_derivatives<Degree, B, M + 1>(level, mask, inv_h, max_order, scale, d);
  }
}

}  // namespace detail

/// eval_span_basis for B lanes at once: lane q has the grid [lo[q], lo[q] +
/// intervals / inv_h[q]] (inv_h = 1/h, so no division per point) and the
/// point x[q]. Writes d for orders 0..max_order (<= kMaxSplineOrder).
template <int Degree, int B>
KOKKOS_INLINE_FUNCTION void eval_span_basis_block(const Real* lo, const Real* inv_h, int intervals,
                                                  const Real* x, int max_order,
                                                  SpanBasisBlock<Degree, B>& out) {
  static_assert(Degree >= 1 && Degree <= kMaxSplineDegree, "B-spline degree must be 1..5");
  constexpr int k = Degree;
  const int n_intervals = intervals + 2 * k;
  const int K = intervals + k;
  Real u[B], inside[B];
  for (int q = 0; q < B; ++q) {
    // The comparison form also rejects NaN; outside lanes take s = 0.
    const Real s = (x[q] - lo[q]) * inv_h[q] + Real(k);
    const bool in = s >= Real(0) && s < Real(n_intervals);
    const Real sc = in ? s : Real(0);
    int mu = int(sc);
    mu = mu < n_intervals ? mu : n_intervals - 1;  // rounding at the right end
    u[q] = sc - Real(mu);
    out.first[q] = mu - k;
    inside[q] = in ? Real(1) : Real(0);
  }
  Real mask[k + 1][B];
  for (int j = 0; j <= k; ++j)
    for (int q = 0; q < B; ++q) {
      const int i = out.first[q] + j;
      mask[j][q] = i >= 0 && i < K ? inside[q] : Real(0);
    }

  // Cox-de Boor triangle, level[p][j][q] = B_{mu-p+j, p}(x_q) (see
  // eval_span_basis). Every lane loop is innermost with a fixed trip count,
  // so it vectorises whether or not the outer loops unroll.
  Real level[k + 1][k + 1][B];
  for (int q = 0; q < B; ++q) level[0][0][q] = 1;
  for (int p = 1; p <= k; ++p) {
    const Real inv_p = Real(1) / Real(p);
    for (int j = 0; j <= p; ++j)
      for (int q = 0; q < B; ++q) {
        const Real left = j >= 1 ? (u[q] + Real(p - j)) * level[p - 1][j - 1][q] : Real(0);
        const Real right = j <= p - 1 ? (Real(j + 1) - u[q]) * level[p - 1][j][q] : Real(0);
        level[p][j][q] = (left + right) * inv_p;
      }
  }

  Real scale[B];  // h^-m
  for (int q = 0; q < B; ++q) scale[q] = 1;
  detail::span_derivatives<Degree, B, 0>(level, mask, inv_h, max_order, scale, out.d);
  for (int m = k + 1; m <= max_order; ++m)
    for (int j = 0; j <= k; ++j)
      for (int q = 0; q < B; ++q) out.d[m][j][q] = 0;
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
