#pragma once
/// \brief Elementwise functions on jet batches: the univariate Faa di Bruno
/// recurrences (orders <= 4 per direction, methods.md 1) and their
/// hand-derived adjoint, as kernel templates over any rank-3 views (strided
/// column slices included), so Activation and FourierFeatures share them.
///
/// With e = the recurrence applied to the shifted derivatives (f', f'', ...):
/// e_0 = f'(z0) and e_m = sum_r f^(r+1)(z0) P_{m,r}(z), one finds
///   d a_k / d z_j = e_{k-j}   (1 <= j <= k),     d a_k / d z_0 = e_k,
/// so the adjoint is zbar_j = sum_{k=j..K} abar_k e_{k-j}, where channel 0
/// (the value) gathers the z_0 terms of every direction.
#include <type_traits>

#include "core/jet_spec.hpp"
#include "core/kokkos.hpp"
#include "models/activation_functions.hpp"

namespace pinnkit::models {

/// a[1..K] of the series f(z0 + z1 s + ... + zK s^K), given d[r] = f^(r)(z0)
/// (z[0] unused). Precondition 1 <= K <= 4.
KOKKOS_INLINE_FUNCTION void compose_series(const Real* d, const Real* z, int K, Real* a) {
  const Real z1 = z[1];
  a[1] = d[1] * z1;
  if (K < 2) return;
  const Real z2 = z[2], z1s = z1 * z1;
  a[2] = d[1] * z2 + Real(0.5) * d[2] * z1s;
  if (K < 3) return;
  const Real z3 = z[3];
  a[3] = d[1] * z3 + d[2] * z1 * z2 + d[3] * z1s * z1 / 6;
  if (K < 4) return;
  a[4] = d[1] * z[4] + d[2] * (z1 * z3 + Real(0.5) * z2 * z2) + Real(0.5) * d[3] * z1s * z2 +
         d[4] * z1s * z1s / 24;
}

namespace detail {

/// Highest order over the directions of `layout` (0 for value only).
inline int max_order(const JetLayout& layout) {
  int m = 0;
  for (int d = 0; d < layout.directions; ++d) m = layout.order[d] > m ? layout.order[d] : m;
  return m;
}

/// Calls f(std::integral_constant<int, K>) with K = max(1, max order): loops
/// with a compile-time bound unroll (measured 1.3-1.8x faster than runtime
/// bounds); coefficients beyond a direction's own order are zero-padded.
template <class F>
void dispatch_max_order(const JetLayout& layout, F&& f) {
  switch (max_order(layout)) {
    case 0:
    case 1: f(std::integral_constant<int, 1>{}); break;
    case 2: f(std::integral_constant<int, 2>{}); break;
    case 3: f(std::integral_constant<int, 3>{}); break;
    default: f(std::integral_constant<int, 4>{}); break;
  }
}

template <int KMax, class Fn, class InView, class OutView>
void forward_kernel(const ExecSpace& exec, const JetLayout& layout, const InView& in,
                    const OutView& out) {
  const int n = static_cast<int>(in.extent(0)), f = static_cast<int>(in.extent(2));
  Kokkos::parallel_for(
      "pinnkit::models::Activation::forward",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {n, f}),
      KOKKOS_LAMBDA(int p, int q) {
        Real d[6];
        Fn::eval(in(p, 0, q), d);
        out(p, 0, q) = d[0];
        for (int dir = 0; dir < layout.directions; ++dir) {
          const int c0 = layout.first_channel[dir] - 1, K = layout.order[dir];
          Real z[KMax + 1], a[KMax + 1];
          for (int k = 1; k <= KMax; ++k) z[k] = k <= K ? in(p, c0 + k, q) : Real(0);
          compose_series(d, z, KMax, a);
          for (int k = 1; k <= KMax; ++k)
            if (k <= K) out(p, c0 + k, q) = a[k];
        }
      });
}

template <int KMax, class Fn, class InView, class OutView, class AdjView, class InAdjView>
void backward_kernel(const ExecSpace& exec, const JetLayout& layout, const InView& in,
                     const OutView& out, const AdjView& out_adj, const InAdjView& in_adj,
                     bool accumulate) {
  const int n = static_cast<int>(in.extent(0)), f = static_cast<int>(in.extent(2));
  const bool from_value = Fn::has_value_form && out.data() != nullptr;
  Kokkos::parallel_for(
      "pinnkit::models::Activation::backward",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {n, f}),
      KOKKOS_LAMBDA(int p, int q) {
        Real d[6];
        if (from_value)
          Fn::eval_from_value(out(p, 0, q), d);
        else
          Fn::eval(in(p, 0, q), d);
        Real zbar0 = out_adj(p, 0, q) * d[1];
        for (int dir = 0; dir < layout.directions; ++dir) {
          const int c0 = layout.first_channel[dir] - 1, K = layout.order[dir];
          Real z[KMax + 1], e[KMax + 1], ab[KMax + 1];
          for (int k = 1; k <= KMax; ++k) {
            z[k] = k <= K ? in(p, c0 + k, q) : Real(0);
            ab[k] = k <= K ? out_adj(p, c0 + k, q) : Real(0);
          }
          compose_series(d + 1, z, KMax, e);  // e[0] = f'
          e[0] = d[1];
          for (int k = 1; k <= KMax; ++k) zbar0 += ab[k] * e[k];
          for (int j = 1; j <= KMax; ++j) {
            if (j > K) break;
            Real s = 0;
            for (int k = j; k <= KMax; ++k) s += ab[k] * e[k - j];
            if (accumulate)
              in_adj(p, c0 + j, q) += s;
            else
              in_adj(p, c0 + j, q) = s;
          }
        }
        if (accumulate)
          in_adj(p, 0, q) += zbar0;
        else
          in_adj(p, 0, q) = zbar0;
      });
}

}  // namespace detail

/// out = f(in) on every channel. in, out: (N, C, F) per `layout`.
template <class Fn, class InView, class OutView>
void activation_jets_forward(const ExecSpace& exec, const JetLayout& layout, Fn,
                             const InView& in, const OutView& out) {
  detail::dispatch_max_order(layout, [&](auto kmax) {
    detail::forward_kernel<decltype(kmax)::value, Fn>(exec, layout, in, out);
  });
}

/// in_adj (= or += when `accumulate`) the adjoint of out = f(in) given
/// out_adj; in is the forward's input, `out` its output or an empty view
/// (with it, functors with a value form skip recomputing f). All (N, C, F)
/// per `layout`.
template <class Fn, class InView, class OutView, class AdjView, class InAdjView>
void activation_jets_backward(const ExecSpace& exec, const JetLayout& layout, Fn,
                              const InView& in, const OutView& out, const AdjView& out_adj,
                              const InAdjView& in_adj, bool accumulate) {
  detail::dispatch_max_order(layout, [&](auto kmax) {
    detail::backward_kernel<decltype(kmax)::value, Fn>(exec, layout, in, out, out_adj, in_adj,
                                                       accumulate);
  });
}

}  // namespace pinnkit::models
