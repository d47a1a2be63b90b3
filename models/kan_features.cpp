#include "models/kan_features.hpp"

#include "core/error.hpp"
#include "models/bspline.hpp"
#include "models/kan_taylor.hpp"

namespace pinnkit::models {

namespace {

/// The bases of input p at x0 for a compile-time degree, with the range
/// [lo, hi) of basis indices that exist (K bases; near the ends of the
/// extended grid fewer than k+1). lo = hi = 0 outside the extended grid.
template <int Degree>
struct InputSpan {
  SpanBasis<Degree> b;
  int lo = 0;
  int hi = 0;
};

template <int Degree>
KOKKOS_INLINE_FUNCTION void input_span(const KanFeatureShape& s, const GridView& grid, int p,
                                       Real x0, int max_order, InputSpan<Degree>& ib) {
  eval_span_basis<Degree>(grid(p, 0), grid(p, 1), s.intervals, x0, max_order, ib.b);
  ib.lo = 0;
  ib.hi = 0;
  if (ib.b.inside) {
    const int K = s.intervals + Degree;
    ib.lo = ib.b.first > 0 ? ib.b.first : 0;
    ib.hi = ib.b.first + Degree + 1 < K ? ib.b.first + Degree + 1 : K;
  }
}

// The kernels are templated on the degree so that the span loops have fixed
// trip counts; the public functions dispatch on shape.degree.

template <int Degree>
void features_forward(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                      const GridView& grid, const ConstJetView& in, const View2<Real>& phi) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = s.inputs;
  const int K = s.basis_count();
  const int F = s.per_input();
  const int max_order = spec.max_order();
  const JetLayout layout = spec.layout();

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features", Kokkos::RangePolicy<ExecSpace>(exec, 0, N * n_in),
      KOKKOS_LAMBDA(const int i) {
        const int n = i / n_in, p = i % n_in;
        const Real x0 = in(n, 0, p);
        InputSpan<Degree> ib;
        input_span<Degree>(s, grid, p, x0, max_order, ib);
        const int first = ib.b.first, lo = ib.lo, hi = ib.hi;
        Real silu[kMaxSplineOrder + 1] = {};
        if (s.base) silu_derivatives(x0, silu);
        const int col0 = p * F;
        // Each row block written once: zeros off the span, the span's values
        // (span[j - first] for basis j), then the SiLU column.
        auto write_row = [&](int row, const Real* span, Real base_value) {
          for (int j = 0; j < lo; ++j) phi(row, col0 + j) = 0;
          for (int j = lo; j < hi; ++j) phi(row, col0 + j) = span[j - first];
          for (int j = hi; j < K; ++j) phi(row, col0 + j) = 0;
          if (s.base) phi(row, col0 + K) = base_value;
        };
        write_row(n * C, ib.b.d[0], silu[0]);

        for (int d = 0; d < layout.directions; ++d) {
          const int order = layout.order[d], fc = layout.first_channel[d];
          Real z[kMaxTaylorOrder + 1] = {};
          for (int m = 1; m <= order; ++m) z[m] = in(n, fc + m - 1, p);
          for (int k = 1; k <= order; ++k) {
            Real P[kMaxTaylorOrder + 1] = {};
            taylor_partitions(k, z, P);
            Real span[Degree + 1];
            for (int j = 0; j <= Degree; ++j) {
              Real a = 0;
              for (int r = 1; r <= k; ++r) a += P[r] * ib.b.d[r][j];
              span[j] = a;
            }
            Real base_value = 0;
            if (s.base)
              for (int r = 1; r <= k; ++r) base_value += P[r] * silu[r];
            write_row(n * C + fc + k - 1, span, base_value);
          }
        }
        if (layout.has_laplacian()) {
          // L -> f' L + f''/2 sum z_1^2 (core/jet_spec.hpp), per basis.
          Real sq = 0;
          for (int t = 0; t < layout.laplacian_terms; ++t) {
            const Real z1 = in(n, layout.laplacian_first[t], p);
            sq += z1 * z1;
          }
          const Real L = in(n, layout.laplacian_channel, p);
          Real span[Degree + 1];
          for (int j = 0; j <= Degree; ++j) span[j] = ib.b.d[1][j] * L + Real(0.5) * ib.b.d[2][j] * sq;
          const Real base_value = s.base ? silu[1] * L + Real(0.5) * silu[2] * sq : Real(0);
          write_row(n * C + layout.laplacian_channel, span, base_value);
        }
      });
}

template <int Degree>
void features_adjoint(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                      const GridView& grid, const ConstJetView& in,
                      const View2<const Real>& phi_adj, const View3<Real>& in_adj) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = s.inputs;
  const int K = s.basis_count();
  const int F = s.per_input();
  // d a_k / d z0 needs f^(k+1): one spline order above the jet order.
  const int max_order = spec.max_order() + 1;
  const JetLayout layout = spec.layout();

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features_adjoint",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, N * n_in), KOKKOS_LAMBDA(const int i) {
        const int n = i / n_in, p = i % n_in;
        const Real x0 = in(n, 0, p);
        InputSpan<Degree> ib;
        input_span<Degree>(s, grid, p, x0, max_order, ib);
        const int first = ib.b.first;
        Real silu[kMaxSplineOrder + 1] = {};
        if (s.base) silu_derivatives(x0, silu);
        const int col0 = p * F;

        // e[r] = sum_j phi_adj(row, j) f_j^(r): the adjoint contracted over
        // the functions (each a_k is linear in the f^(r)); only the span's
        // bases are nonzero, so only their columns are read.
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
        if (layout.has_laplacian()) {
          // The adjoint of L -> f' L + f''/2 sum z_1^2, after the directions
          // (it adds to their z_1 adjoints).
          const int row = n * C + layout.laplacian_channel;
          const Real e1 = contract(row, 1), e2 = contract(row, 2), e3 = contract(row, 3);
          Real sq = 0;
          for (int t = 0; t < layout.laplacian_terms; ++t) {
            const Real z1 = in(n, layout.laplacian_first[t], p);
            sq += z1 * z1;
            in_adj(n, layout.laplacian_first[t], p) += e2 * z1;
          }
          dx0 += e2 * in(n, layout.laplacian_channel, p) + Real(0.5) * e3 * sq;
          in_adj(n, layout.laplacian_channel, p) = e1;
        }
        in_adj(n, 0, p) = dx0;
      });
}

}  // namespace

void kan_features_forward(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<Real> phi) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = shape.inputs;
  const int F = shape.per_input();
  PINNKIT_CHECK(static_cast<int>(in.extent(1)) == C && static_cast<int>(in.extent(2)) == n_in,
                "KAN features: input jets do not match the spec / layer width");
  PINNKIT_CHECK(static_cast<int>(phi.extent(0)) == N * C &&
                    static_cast<int>(phi.extent(1)) == n_in * F,
                "KAN features: feature matrix has the wrong shape");
  PINNKIT_CHECK(spec.max_order() <= kMaxTaylorOrder, "KAN features: jet order above 4");
  switch (shape.degree) {
    case 1: features_forward<1>(exec, spec, shape, grid, in, phi); break;
    case 2: features_forward<2>(exec, spec, shape, grid, in, phi); break;
    case 3: features_forward<3>(exec, spec, shape, grid, in, phi); break;
    case 4: features_forward<4>(exec, spec, shape, grid, in, phi); break;
    case 5: features_forward<5>(exec, spec, shape, grid, in, phi); break;
    default: PINNKIT_CHECK(false, "KAN features: spline degree outside 1..5");
  }
}

void kan_features_adjoint(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<const Real> phi_adj,
                          View3<Real> in_adj) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = shape.inputs;
  const int F = shape.per_input();
  PINNKIT_CHECK(static_cast<int>(phi_adj.extent(0)) == N * C &&
                    static_cast<int>(phi_adj.extent(1)) == n_in * F,
                "KAN features adjoint: feature adjoint has the wrong shape");
  PINNKIT_CHECK(in_adj.extent(0) == in.extent(0) && in_adj.extent(1) == in.extent(1) &&
                    in_adj.extent(2) == in.extent(2),
                "KAN features adjoint: input adjoint does not match the input");
  switch (shape.degree) {
    case 1: features_adjoint<1>(exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 2: features_adjoint<2>(exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 3: features_adjoint<3>(exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 4: features_adjoint<4>(exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 5: features_adjoint<5>(exec, spec, shape, grid, in, phi_adj, in_adj); break;
    default: PINNKIT_CHECK(false, "KAN features adjoint: spline degree outside 1..5");
  }
}

}  // namespace pinnkit::models
