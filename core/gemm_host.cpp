// The Eigen path of gemm(): row-major maps with leading dimensions, threaded
// either by Eigen itself or by a Kokkos split over row blocks of C.
#include <Eigen/Core>
#include <atomic>

#include "core/gemm.hpp"

namespace pinnkit {

namespace {
std::atomic<GemmHostThreading> host_threading{GemmHostThreading::kokkos_rows};

using RowMatrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;
using MutableMap = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;

template <class OpA, class OpB>
void product(Real alpha, const OpA& a, const OpB& b, Real beta, MutableMap& c) {
  if (beta == Real(0)) {
    c.noalias() = alpha * a * b;  // never reads C: NaN garbage stays out
  } else {
    if (beta != Real(1)) c *= beta;
    c.noalias() += alpha * a * b;
  }
}

// C rows [r0, r0 + rows) = rows [r0, ...) of op(A) times op(B). A row block of
// op(A) is a row block of A, or a column block of A when transposed.
void gemm_rows(bool ta, bool tb, int r0, int rows, int n, int k, Real alpha, const Real* a,
               int lda, const Real* b, int ldb, Real beta, Real* c, int ldc) {
  MutableMap cm(c + static_cast<std::ptrdiff_t>(r0) * ldc, rows, n, Eigen::OuterStride<>(ldc));
  const Real* a0 = ta ? a + r0 : a + static_cast<std::ptrdiff_t>(r0) * lda;
  ConstMap am(a0, ta ? k : rows, ta ? rows : k, Eigen::OuterStride<>(lda));
  ConstMap bm(b, tb ? n : k, tb ? k : n, Eigen::OuterStride<>(ldb));
  if (!ta && !tb) product(alpha, am, bm, beta, cm);
  if (!ta && tb) product(alpha, am, bm.transpose(), beta, cm);
  if (ta && !tb) product(alpha, am.transpose(), bm, beta, cm);
  if (ta && tb) product(alpha, am.transpose(), bm.transpose(), beta, cm);
}
}  // namespace

void set_gemm_host_threading(GemmHostThreading t) { host_threading = t; }
GemmHostThreading gemm_host_threading() { return host_threading; }

namespace detail {

void gemm_host(bool ta, bool tb, int m, int n, int k, Real alpha, const Real* a, int lda,
               const Real* b, int ldb, Real beta, Real* c, int ldc) {
  using HostExec = Kokkos::DefaultHostExecutionSpace;
  const GemmHostThreading mode = host_threading;
#if KOKKOS_VERSION >= 30700
  const int threads = HostExec().concurrency();
#else
  const int threads = HostExec::concurrency();
#endif
  // Below ~64k flops a split costs more than it saves.
  const bool small = static_cast<double>(m) * n * k < 65536.0;
  if (mode == GemmHostThreading::kokkos_rows && threads > 1 && !small && m >= 2 * threads) {
    // Row blocks aligned to 8 rows keep Eigen's micro-kernels on full panels.
    const int block = ((m + threads - 1) / threads + 7) / 8 * 8;
    const int blocks = (m + block - 1) / block;
    Kokkos::parallel_for(
        "pinnkit::core::gemm::host_row_blocks", Kokkos::RangePolicy<HostExec>(0, blocks),
        [=](int t) {
          const int r0 = t * block;
          const int rows = r0 + block <= m ? block : m - r0;
          gemm_rows(ta, tb, r0, rows, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        });
    HostExec().fence();
    return;
  }
  const int saved = Eigen::nbThreads();
  Eigen::setNbThreads(mode == GemmHostThreading::eigen ? threads : 1);
  gemm_rows(ta, tb, 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  Eigen::setNbThreads(saved);
}

}  // namespace detail
}  // namespace pinnkit
