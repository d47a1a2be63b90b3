#include "models/kan_features.hpp"

#include "core/error.hpp"
#include "models/bspline.hpp"
#include "models/kan_taylor.hpp"

namespace pinnkit::models {

namespace {

/// Inputs per kernel iteration: B. One iteration handles one point and a
/// block of inputs, staged in [..][lane] arrays, so that the basis, SiLU and
/// Taylor arithmetic runs in fixed-trip loops over the lanes that vectorise
/// (the style of activation_jets.hpp). Lanes past n_in compute on a copy of
/// the last input and are never stored. Wide blocks amortise the per-point
/// work better (measured, 1 thread, 32 inputs, cubic, 4 channels: forward
/// 4.4 / 3.6 / 3.4 ms and adjoint 5.4 / 4.8 / 4.4 ms per 4352 points at
/// B = 8 / 16 / 32), but narrow layers (the 2-input first layer) would
/// mostly compute padding: use_wide_block() picks.
constexpr int kNarrowBlock = 8;
constexpr int kWideBlock = 32;
template <int B>
using Lanes = Real[B];

/// kWideBlock when at most a quarter of its lanes would be padding.
inline bool use_wide_block(int inputs) {
  const int padded = (inputs + kWideBlock - 1) / kWideBlock * kWideBlock;
  return inputs >= kWideBlock && 4 * (padded - inputs) <= inputs;
}

/// The per-point state of one input block shared by the forward and adjoint
/// kernels: the lane count, the span bases and the SiLU derivatives.
template <int Degree, int B>
struct InputBlock {
  int width = 0;  ///< lanes that are real inputs (the last block may be partial)
  SpanBasisBlock<Degree, B> basis;
  Real silu[kMaxSplineOrder + 1][B];
};

/// Lane q of `lanes` = value(q) for q < w, value(w - 1) past the end: a
/// full block reads contiguously with a fixed trip count.
template <int B, class Value>
KOKKOS_FORCEINLINE_FUNCTION void load_lanes(int w, const Value& value, Lanes<B>& lanes) {
  if (w == B)
    for (int q = 0; q < B; ++q) lanes[q] = value(q);
  else
    for (int q = 0; q < B; ++q) lanes[q] = value(q < w ? q : w - 1);
}

template <int Degree, int B>
KOKKOS_INLINE_FUNCTION void eval_input_block(const KanFeatureShape& s, const GridView& grid,
                                             const ConstJetView& in, int n, int p0, int max_order,
                                             InputBlock<Degree, B>& ib) {
  const int w = s.inputs - p0 < B ? s.inputs - p0 : B;
  ib.width = w;
  Lanes<B> x0, lo, hi, inv_h;
  load_lanes(w, [&](int q) { return in(n, 0, p0 + q); }, x0);
  load_lanes(w, [&](int q) { return grid(p0 + q, 0); }, lo);
  load_lanes(w, [&](int q) { return grid(p0 + q, 1); }, hi);
  // One vector division per block gives 1/h; the basis needs no other.
  for (int q = 0; q < B; ++q) inv_h[q] = Real(s.intervals) / (hi[q] - lo[q]);
  eval_span_basis_block<Degree, B>(lo, inv_h, s.intervals, x0, max_order, ib.basis);
  if (s.base) {
    for (int q = 0; q < B; ++q) {
      Real d[kMaxSplineOrder + 1];
      silu_derivatives(x0[q], d);
      for (int r = 0; r <= kMaxSplineOrder; ++r) ib.silu[r][q] = d[r];
    }
  } else {
    for (int r = 0; r <= kMaxSplineOrder; ++r)
      for (int q = 0; q < B; ++q) ib.silu[r][q] = 0;
  }
}

/// Jet channel c of the block's inputs at point n (lanes past n_in: 0).
template <int B>
KOKKOS_FORCEINLINE_FUNCTION void load_channel(const ConstJetView& in, int n, int c, int p0, int w,
                                              Lanes<B>& out) {
  if (w == B)
    for (int q = 0; q < B; ++q) out[q] = in(n, c, p0 + q);
  else
    for (int q = 0; q < B; ++q) out[q] = q < w ? in(n, c, p0 + q) : Real(0);
}

// The kernels are templated on the degree so that the span loops have fixed
// trip counts, and on the block width; the public functions dispatch on
// shape.degree and the layer width.

template <int Degree, int B>
void features_forward(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                      const GridView& grid, const ConstJetView& in, const View2<Real>& phi) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = s.inputs;
  const int blocks = (n_in + B - 1) / B;
  const int K = s.basis_count();
  const int F = s.per_input();
  const int max_order = spec.max_order();
  const JetLayout layout = spec.layout();

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features", Kokkos::RangePolicy<ExecSpace>(exec, 0, N * blocks),
      KOKKOS_LAMBDA(const int i) {
        const int n = i / blocks, p0 = (i % blocks) * B;
        InputBlock<Degree, B> ib;
        eval_input_block<Degree, B>(s, grid, in, n, p0, max_order, ib);
        const int w = ib.width;
        const auto& d = ib.basis.d;
        // The block's columns of one row: zeros (a contiguous run of w*F),
        // then each lane's span values (span[j][q] for basis first[q]+j,
        // masked entries are 0 and skipped when outside the lane's columns)
        // and its SiLU column.
        auto write_row = [&](int row, const Real (*span)[B], const Real* base_value) {
          Real* out = &phi(row, p0 * F);
          for (int t = 0; t < w * F; ++t) out[t] = 0;
          for (int q = 0; q < w; ++q) {
            Real* o = out + q * F;
            const int first = ib.basis.first[q];
            for (int j = 0; j <= Degree; ++j) {
              const int col = first + j;
              if (col >= 0 && col < K) o[col] = span[j][q];
            }
            if (s.base) o[K] = base_value[q];
          }
        };
        write_row(n * C, d[0], ib.silu[0]);

        for (int dir = 0; dir < layout.directions; ++dir) {
          const int order = layout.order[dir], fc = layout.first_channel[dir];
          Lanes<B> z[kMaxTaylorOrder + 1];
          for (int m = 1; m <= order; ++m) load_channel(in, n, fc + m - 1, p0, w, z[m]);
          for (int k = 1; k <= order; ++k) {
            Lanes<B> P[kMaxTaylorOrder + 1];
            taylor_partitions_block<B>(k, z, P);
            Real span[Degree + 1][B];
            Lanes<B> base_value;
            for (int j = 0; j <= Degree; ++j)
              for (int q = 0; q < B; ++q) span[j][q] = P[1][q] * d[1][j][q];
            for (int q = 0; q < B; ++q) base_value[q] = P[1][q] * ib.silu[1][q];
            for (int r = 2; r <= k; ++r) {
              for (int j = 0; j <= Degree; ++j)
                for (int q = 0; q < B; ++q) span[j][q] += P[r][q] * d[r][j][q];
              for (int q = 0; q < B; ++q) base_value[q] += P[r][q] * ib.silu[r][q];
            }
            write_row(n * C + fc + k - 1, span, base_value);
          }
        }
        if (layout.has_laplacian()) {
          // L -> f' L + f''/2 sum z_1^2 (core/jet_spec.hpp), per basis.
          Lanes<B> sq, L, z1;
          for (int q = 0; q < B; ++q) sq[q] = 0;
          for (int t = 0; t < layout.laplacian_terms; ++t) {
            load_channel(in, n, layout.laplacian_first[t], p0, w, z1);
            for (int q = 0; q < B; ++q) sq[q] += z1[q] * z1[q];
          }
          load_channel(in, n, layout.laplacian_channel, p0, w, L);
          Real span[Degree + 1][B];
          Lanes<B> base_value;
          for (int j = 0; j <= Degree; ++j)
            for (int q = 0; q < B; ++q)
              span[j][q] = d[1][j][q] * L[q] + Real(0.5) * d[2][j][q] * sq[q];
          for (int q = 0; q < B; ++q)
            base_value[q] = ib.silu[1][q] * L[q] + Real(0.5) * ib.silu[2][q] * sq[q];
          write_row(n * C + layout.laplacian_channel, span, base_value);
        }
      });
}

template <int Degree, int B>
void features_adjoint(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                      const GridView& grid, const ConstJetView& in,
                      const View2<const Real>& phi_adj, const View3<Real>& in_adj) {
  const int N = static_cast<int>(in.extent(0));
  const int C = spec.channels();
  const int n_in = s.inputs;
  const int blocks = (n_in + B - 1) / B;
  const int K = s.basis_count();
  const int F = s.per_input();
  // d a_k / d z0 needs f^(k+1): one spline order above the jet order.
  const int max_order = spec.max_order() + 1;
  const JetLayout layout = spec.layout();

  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::features_adjoint",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, N * blocks), KOKKOS_LAMBDA(const int i) {
        const int n = i / blocks, p0 = (i % blocks) * B;
        InputBlock<Degree, B> ib;
        eval_input_block<Degree, B>(s, grid, in, n, p0, max_order, ib);
        const int w = ib.width;
        const auto& d = ib.basis.d;

        // e[r][q] = sum_j phi_adj(row, j) f_j^(r) for r = 1..r_max: the
        // adjoint contracted over the functions of lane q (each a_k is linear
        // in the f^(r)); only the span's columns are read. A basis that does
        // not exist (masked: d = 0) reads a clamped column of the same lane
        // and contributes 0 * finite; padding lanes read the last input's.
        auto contract = [&](int row, int r_max, Lanes<B>* e) {
          const Real* adj = &phi_adj(row, p0 * F);
          Real g[Degree + 1][B];
          Lanes<B> gb;
          for (int q = 0; q < B; ++q) {
            const Real* a = adj + (q < w ? q : w - 1) * F;
            const int first = ib.basis.first[q];
            for (int j = 0; j <= Degree; ++j) {
              const int col = first + j;
              g[j][q] = a[col < 0 ? 0 : col < K ? col : K - 1];
            }
            gb[q] = s.base ? a[K] : Real(0);
          }
          for (int r = 1; r <= r_max; ++r)
            for (int q = 0; q < B; ++q) {
              Real acc = gb[q] * ib.silu[r][q];
              for (int j = 0; j <= Degree; ++j) acc += g[j][q] * d[r][j][q];
              e[r][q] = acc;
            }
        };
        // Stores (=) or adds (+=) v into channel c of the block's inputs;
        // a full block with a fixed trip count, so it vectorises.
        auto store_channel = [&](int c, const Real* v, bool accumulate) {
          Real* out = &in_adj(n, c, p0);
          if (w == B && !accumulate)
            for (int q = 0; q < B; ++q) out[q] = v[q];
          else if (w == B)
            for (int q = 0; q < B; ++q) out[q] += v[q];
          else if (!accumulate)
            for (int q = 0; q < w; ++q) out[q] = v[q];
          else
            for (int q = 0; q < w; ++q) out[q] += v[q];
        };

        Lanes<B> dx0;
        {
          Lanes<B> e[2];
          contract(n * C, 1, e);
          for (int q = 0; q < B; ++q) dx0[q] = e[1][q];
        }
        for (int dir = 0; dir < layout.directions; ++dir) {
          const int order = layout.order[dir], fc = layout.first_channel[dir];
          Lanes<B> z[kMaxTaylorOrder + 1], dz[kMaxTaylorOrder + 1];
          for (int m = 1; m <= order; ++m) {
            load_channel(in, n, fc + m - 1, p0, w, z[m]);
            for (int q = 0; q < B; ++q) dz[m][q] = 0;
          }
          for (int k = 1; k <= order; ++k) {
            Lanes<B> e[kMaxTaylorOrder + 2], P[kMaxTaylorOrder + 1];
            contract(n * C + fc + k - 1, k + 1, e);
            taylor_partitions_block<B>(k, z, P);
            for (int r = 1; r <= k; ++r)
              for (int q = 0; q < B; ++q) dx0[q] += P[r][q] * e[r + 1][q];
            taylor_partitions_adjoint_block<B>(k, z, e, dz);
          }
          for (int m = 1; m <= order; ++m) store_channel(fc + m - 1, dz[m], false);
        }
        if (layout.has_laplacian()) {
          // The adjoint of L -> f' L + f''/2 sum z_1^2, after the directions
          // (it adds to their z_1 adjoints).
          Lanes<B> e[4], sq, z1, L;
          contract(n * C + layout.laplacian_channel, 3, e);
          for (int q = 0; q < B; ++q) sq[q] = 0;
          for (int t = 0; t < layout.laplacian_terms; ++t) {
            const int c = layout.laplacian_first[t];
            load_channel(in, n, c, p0, w, z1);
            Lanes<B> dz1;
            for (int q = 0; q < B; ++q) {
              sq[q] += z1[q] * z1[q];
              dz1[q] = e[2][q] * z1[q];
            }
            store_channel(c, dz1, true);
          }
          load_channel(in, n, layout.laplacian_channel, p0, w, L);
          for (int q = 0; q < B; ++q) dx0[q] += e[2][q] * L[q] + Real(0.5) * e[3][q] * sq[q];
          store_channel(layout.laplacian_channel, e[1], false);
        }
        store_channel(0, dx0, false);
      });
}

template <int Degree>
void forward_block(bool wide, const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                   const GridView& grid, const ConstJetView& in, const View2<Real>& phi) {
  if (wide)
    features_forward<Degree, kWideBlock>(exec, spec, s, grid, in, phi);
  else
    features_forward<Degree, kNarrowBlock>(exec, spec, s, grid, in, phi);
}

template <int Degree>
void adjoint_block(bool wide, const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& s,
                   const GridView& grid, const ConstJetView& in, const View2<const Real>& phi_adj,
                   const View3<Real>& in_adj) {
  if (wide)
    features_adjoint<Degree, kWideBlock>(exec, spec, s, grid, in, phi_adj, in_adj);
  else
    features_adjoint<Degree, kNarrowBlock>(exec, spec, s, grid, in, phi_adj, in_adj);
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
  const bool wide = use_wide_block(n_in);
  switch (shape.degree) {
    case 1: forward_block<1>(wide, exec, spec, shape, grid, in, phi); break;
    case 2: forward_block<2>(wide, exec, spec, shape, grid, in, phi); break;
    case 3: forward_block<3>(wide, exec, spec, shape, grid, in, phi); break;
    case 4: forward_block<4>(wide, exec, spec, shape, grid, in, phi); break;
    case 5: forward_block<5>(wide, exec, spec, shape, grid, in, phi); break;
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
  const bool wide = use_wide_block(n_in);
  switch (shape.degree) {
    case 1: adjoint_block<1>(wide, exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 2: adjoint_block<2>(wide, exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 3: adjoint_block<3>(wide, exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 4: adjoint_block<4>(wide, exec, spec, shape, grid, in, phi_adj, in_adj); break;
    case 5: adjoint_block<5>(wide, exec, spec, shape, grid, in, phi_adj, in_adj); break;
    default: PINNKIT_CHECK(false, "KAN features adjoint: spline degree outside 1..5");
  }
}

}  // namespace pinnkit::models
