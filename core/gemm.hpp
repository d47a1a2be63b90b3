#pragma once
/// \brief C = alpha op(A) op(B) + beta C on rank-2 LayoutRight Views of Real.
///
/// Host-accessible memory goes to Eigen (a tuned gemm; threads either Eigen's
/// own OpenMP split or a Kokkos split over row blocks of C, see
/// GemmHostThreading); any other memory space goes to a portable tiled Kokkos
/// kernel. beta == 0 overwrites C without reading it (NaN garbage in C does
/// not propagate). A, B and C must not overlap.
#include <type_traits>

#include "core/error.hpp"
#include "core/gemm_kokkos.hpp"
#include "core/kokkos.hpp"

namespace pinnkit {

enum class Trans { no, yes };

/// How the Eigen path uses the host's threads.
enum class GemmHostThreading {
  kokkos_rows,  ///< Kokkos parallel_for over row blocks of C, Eigen single-threaded in each
  eigen,        ///< one Eigen call, Eigen's own OpenMP parallelism
  serial        ///< one Eigen call on one thread
};
/// Process-wide choice. Default kokkos_rows: on 2 threads it matches Eigen's
/// own split on an idle machine (benchmarks/bench_gemm, 40960x64 * 64x64),
/// while Eigen's split of A^T B (the weight gradient) slowed 30x whenever a
/// thread was descheduled on a shared machine.
void set_gemm_host_threading(GemmHostThreading t);
GemmHostThreading gemm_host_threading();

namespace detail {
/// Raw row-major host gemm (leading dimensions lda, ldb, ldc), op(A) m x k.
void gemm_host(bool trans_a, bool trans_b, int m, int n, int k, Real alpha, const Real* a,
               int lda, const Real* b, int ldb, Real beta, Real* c, int ldc);
}  // namespace detail

/// C (m x n) = alpha op(A) op(B) + beta C, op(A) m x k, op(B) k x n.
/// All three views: rank 2, LayoutRight, value type Real, one memory space
/// that `exec` can access. Shape mismatches throw InternalError.
template <class Exec, class AView, class BView, class CView>
void gemm(const Exec& exec, Trans trans_a, Trans trans_b, Real alpha, const AView& A,
          const BView& B, Real beta, const CView& C) {
  static_assert(AView::rank == 2 && BView::rank == 2 && CView::rank == 2,
                "gemm: A, B and C must be rank-2 views");
  static_assert(std::is_same<typename AView::array_layout, Kokkos::LayoutRight>::value &&
                    std::is_same<typename BView::array_layout, Kokkos::LayoutRight>::value &&
                    std::is_same<typename CView::array_layout, Kokkos::LayoutRight>::value,
                "gemm: A, B and C must be LayoutRight");
  static_assert(std::is_same<typename AView::non_const_value_type, Real>::value &&
                    std::is_same<typename BView::non_const_value_type, Real>::value &&
                    std::is_same<typename CView::value_type, Real>::value,
                "gemm: A and B must hold (const) Real, C must hold Real");
  using Mem = typename CView::memory_space;
  static_assert(std::is_same<typename AView::memory_space, Mem>::value &&
                    std::is_same<typename BView::memory_space, Mem>::value,
                "gemm: A, B and C must live in one memory space");
  static_assert(Kokkos::SpaceAccessibility<Exec, Mem>::accessible,
                "gemm: the execution space cannot access the views' memory space");

  const bool ta = trans_a == Trans::yes, tb = trans_b == Trans::yes;
  const int m = static_cast<int>(ta ? A.extent(1) : A.extent(0));
  const int k = static_cast<int>(ta ? A.extent(0) : A.extent(1));
  const int kb = static_cast<int>(tb ? B.extent(1) : B.extent(0));
  const int n = static_cast<int>(tb ? B.extent(0) : B.extent(1));
  PINNKIT_CHECK(k == kb && static_cast<int>(C.extent(0)) == m &&
                    static_cast<int>(C.extent(1)) == n,
                "gemm: shapes do not match: op(A) " + std::to_string(m) + "x" +
                    std::to_string(k) + ", op(B) " + std::to_string(kb) + "x" +
                    std::to_string(n) + ", C " + std::to_string(C.extent(0)) + "x" +
                    std::to_string(C.extent(1)));
  if (m == 0 || n == 0) return;

  if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, Mem>::accessible) {
    exec.fence();  // Eigen runs outside the execution space's queue
    detail::gemm_host(ta, tb, m, n, k, alpha, A.data(), static_cast<int>(A.stride(0)),
                      B.data(), static_cast<int>(B.stride(0)), beta, C.data(),
                      static_cast<int>(C.stride(0)));
  } else {
    detail::gemm_kokkos(exec, ta, tb, alpha, A, B, beta, C);
  }
}

}  // namespace pinnkit
