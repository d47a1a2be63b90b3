#include "models/kan_features.hpp"

#include "core/error.hpp"
#include "models/bspline.hpp"
#include "models/kan_taylor.hpp"

namespace pinnkit::models {

namespace {

/// The bases of input p at x0, with the range [lo, hi) of basis indices that
/// exist (K bases; near the ends of the extended grid fewer than k+1).
struct InputBasis {
  LocalBasis b;
  int lo = 0;
  int hi = 0;
};

KOKKOS_INLINE_FUNCTION InputBasis input_basis(const KanFeatureShape& s, const GridView& grid,
                                              int p, Real x0, int max_order) {
  InputBasis ib;
  const SplineGrid g{grid(p, 0), grid(p, 1), s.intervals, s.degree};
  ib.b = eval_local_basis(g, x0, max_order);
  if (ib.b.inside) {
    const int K = s.intervals + s.degree;
    ib.lo = ib.b.first > 0 ? ib.b.first : 0;
    ib.hi = ib.b.first + s.degree + 1 < K ? ib.b.first + s.degree + 1 : K;
  }
  return ib;
}

}  // namespace

void kan_features_forward(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<Real> phi) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = shape.inputs;
  const int K = shape.basis_count();
  const int F = shape.per_input();
  PINNKIT_CHECK(static_cast<int>(in.extent(1)) == C && static_cast<int>(in.extent(2)) == n_in,
                "KAN features: input jets do not match the spec / layer width");
  PINNKIT_CHECK(static_cast<int>(phi.extent(0)) == N * C &&
                    static_cast<int>(phi.extent(1)) == n_in * F,
                "KAN features: feature matrix has the wrong shape");
  const int max_order = spec.max_order();
  PINNKIT_CHECK(max_order <= kMaxTaylorOrder, "KAN features: jet order above 4");
  const JetLayout layout = spec.layout();
  const KanFeatureShape s = shape;

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features", Kokkos::RangePolicy<ExecSpace>(exec, 0, N * n_in),
      KOKKOS_LAMBDA(const int i) {
        const int n = i / n_in, p = i % n_in;
        const Real x0 = in(n, 0, p);
        const InputBasis ib = input_basis(s, grid, p, x0, max_order);
        const int first = ib.b.first;
        Real silu[kMaxSplineOrder + 1] = {};
        if (s.base) silu_derivatives(x0, silu);
        const int col0 = p * F;
        // Bases outside the local support are 0 on every channel.
        for (int c = 0; c < C; ++c) {
          for (int j = 0; j < ib.lo; ++j) phi(n * C + c, col0 + j) = 0;
          for (int j = ib.hi; j < K; ++j) phi(n * C + c, col0 + j) = 0;
        }
        for (int j = ib.lo; j < ib.hi; ++j) phi(n * C, col0 + j) = ib.b.d[0][j - first];
        if (s.base) phi(n * C, col0 + K) = silu[0];

        for (int d = 0; d < layout.directions; ++d) {
          const int order = layout.order[d], fc = layout.first_channel[d];
          Real z[kMaxTaylorOrder + 1] = {};
          for (int m = 1; m <= order; ++m) z[m] = in(n, fc + m - 1, p);
          for (int k = 1; k <= order; ++k) {
            Real P[kMaxTaylorOrder + 1] = {};
            taylor_partitions(k, z, P);
            const int row = n * C + fc + k - 1;
            for (int j = ib.lo; j < ib.hi; ++j) {
              Real a = 0;
              for (int r = 1; r <= k; ++r) a += P[r] * ib.b.d[r][j - first];
              phi(row, col0 + j) = a;
            }
            if (s.base) {
              Real a = 0;
              for (int r = 1; r <= k; ++r) a += P[r] * silu[r];
              phi(row, col0 + K) = a;
            }
          }
        }
      });
}

void kan_features_adjoint(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<const Real> phi_adj,
                          View3<Real> in_adj) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = shape.inputs;
  const int K = shape.basis_count();
  const int F = shape.per_input();
  PINNKIT_CHECK(static_cast<int>(phi_adj.extent(0)) == N * C &&
                    static_cast<int>(phi_adj.extent(1)) == n_in * F,
                "KAN features adjoint: feature adjoint has the wrong shape");
  PINNKIT_CHECK(in_adj.extent(0) == in.extent(0) && in_adj.extent(1) == in.extent(1) &&
                    in_adj.extent(2) == in.extent(2),
                "KAN features adjoint: input adjoint does not match the input");
  // d a_k / d z0 needs f^(k+1): one spline order above the jet order.
  const int max_order = spec.max_order() + 1;
  const JetLayout layout = spec.layout();
  const KanFeatureShape s = shape;

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features_adjoint",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, N * n_in), KOKKOS_LAMBDA(const int i) {
        const int n = i / n_in, p = i % n_in;
        const Real x0 = in(n, 0, p);
        const InputBasis ib = input_basis(s, grid, p, x0, max_order);
        const int first = ib.b.first;
        Real silu[kMaxSplineOrder + 1] = {};
        if (s.base) silu_derivatives(x0, silu);
        const int col0 = p * F;

        // e[r] = sum_j phi_adj(row, j) f_j^(r): the adjoint contracted over
        // the functions, since each a_k is linear in the f^(r).
        auto contract = [&](int row, int r) {
          Real e = 0;
          for (int j = ib.lo; j < ib.hi; ++j) e += phi_adj(row, col0 + j) * ib.b.d[r][j - first];
          if (s.base) e += phi_adj(row, col0 + K) * silu[r];
          return e;
        };

        Real dx0 = contract(n * C, 1);
        for (int d = 0; d < layout.directions; ++d) {
          const int order = layout.order[d], fc = layout.first_channel[d];
          Real z[kMaxTaylorOrder + 1] = {};
          Real dz[kMaxTaylorOrder + 1] = {};
          for (int m = 1; m <= order; ++m) z[m] = in(n, fc + m - 1, p);
          for (int k = 1; k <= order; ++k) {
            const int row = n * C + fc + k - 1;
            Real e[kMaxTaylorOrder + 2] = {};
            for (int r = 1; r <= k + 1; ++r) e[r] = contract(row, r);
            Real P[kMaxTaylorOrder + 1] = {};
            taylor_partitions(k, z, P);
            for (int r = 1; r <= k; ++r) dx0 += P[r] * e[r + 1];
            taylor_partitions_adjoint(k, z, e, dz);
          }
          for (int m = 1; m <= order; ++m) in_adj(n, fc + m - 1, p) = dz[m];
        }
        in_adj(n, 0, p) = dx0;
      });
}

}  // namespace pinnkit::models
