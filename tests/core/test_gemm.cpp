// gemm() against a naive triple loop: odd shapes, every transpose
// combination, alpha/beta, and beta = 0 over NaN garbage; both the Eigen
// path (every threading mode) and the portable Kokkos kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/gemm.hpp"
#include "core/rng.hpp"

#include "support/fp_traps.hpp"

namespace pinnkit {
namespace {

struct Case {
  int m, n, k;
  bool ta, tb;
  Real alpha, beta;
};

View2<Real> random_matrix(int rows, int cols, std::uint64_t seed) {
  View2<Real> v("pinnkit::test::gemm::matrix", rows, cols);
  auto h = Kokkos::create_mirror_view(v);
  HostRng rng(seed);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) h(i, j) = rng.uniform(-1, 1);
  Kokkos::deep_copy(v, h);
  return v;
}

enum class Path { eigen_rows, eigen_threads, eigen_serial, kokkos };

// Runs one case through `path` and compares with the naive loop.
void check_case(const Case& t, Path path, bool nan_garbage) {
  View2<Real> A = t.ta ? random_matrix(t.k, t.m, 1) : random_matrix(t.m, t.k, 1);
  View2<Real> B = t.tb ? random_matrix(t.n, t.k, 2) : random_matrix(t.k, t.n, 2);
  View2<Real> C = random_matrix(t.m, t.n, 3);
  if (nan_garbage) Kokkos::deep_copy(C, std::numeric_limits<Real>::quiet_NaN());
  auto a = Kokkos::create_mirror_view_and_copy(HostSpace(), A);
  auto b = Kokkos::create_mirror_view_and_copy(HostSpace(), B);
  auto c0 = Kokkos::create_mirror(C);  // a real copy: C is overwritten below
  Kokkos::deep_copy(c0, C);

  const Trans ta = t.ta ? Trans::yes : Trans::no, tb = t.tb ? Trans::yes : Trans::no;
  if (path == Path::kokkos) {
    detail::gemm_kokkos(ExecSpace(), t.ta, t.tb, t.alpha, View2<const Real>(A),
                        View2<const Real>(B), t.beta, C);
  } else {
    const GemmHostThreading saved = gemm_host_threading();
    set_gemm_host_threading(path == Path::eigen_rows      ? GemmHostThreading::kokkos_rows
                            : path == Path::eigen_threads ? GemmHostThreading::eigen
                                                          : GemmHostThreading::serial);
    gemm(ExecSpace(), ta, tb, t.alpha, View2<const Real>(A), View2<const Real>(B), t.beta, C);
    set_gemm_host_threading(saved);
  }
  auto c = Kokkos::create_mirror_view_and_copy(HostSpace(), C);
  const double tol = 64 * std::numeric_limits<Real>::epsilon();

  for (int i = 0; i < t.m; ++i)
    for (int j = 0; j < t.n; ++j) {
      double s = 0;
      for (int q = 0; q < t.k; ++q)
        s += double(t.ta ? a(q, i) : a(i, q)) * double(t.tb ? b(j, q) : b(q, j));
      const double expected = t.alpha * s + (t.beta == 0 ? 0.0 : t.beta * double(c0(i, j)));
      ASSERT_TRUE(std::isfinite(double(c(i, j)))) << "C(" << i << "," << j << ") not finite";
      ASSERT_NEAR(double(c(i, j)), expected, tol * (1 + t.k))
          << "m n k = " << t.m << " " << t.n << " " << t.k << ", ta " << t.ta << ", tb " << t.tb
          << ", entry (" << i << "," << j << "), path " << int(path);
    }
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const int shapes[][3] = {{1, 1, 1}, {7, 5, 13},    {3, 1, 9},
                           {1, 4, 2}, {257, 67, 31}, {64, 64, 130}};
  const Real ab[][2] = {{1, 0}, {0.5, 2}, {-1.5, 1}, {2, -0.25}};
  for (const auto& s : shapes)
    for (int tr = 0; tr < 4; ++tr)
      for (const auto& p : ab)
        out.push_back({s[0], s[1], s[2], (tr & 1) != 0, (tr & 2) != 0, p[0], p[1]});
  return out;
}

TEST(Gemm, EigenPathMatchesNaiveLoopInEveryThreadingMode) {
  for (Path p : {Path::eigen_rows, Path::eigen_threads, Path::eigen_serial})
    for (const Case& c : cases()) check_case(c, p, false);
}

TEST(Gemm, PortableKokkosKernelMatchesNaiveLoop) {
  for (const Case& c : cases()) check_case(c, Path::kokkos, false);
}

TEST(Gemm, BetaZeroIgnoresNanGarbageInC) {
  testing::FpTrapsOff traps_off;  // the garbage itself is a NaN
  for (Path p : {Path::eigen_rows, Path::eigen_threads, Path::eigen_serial, Path::kokkos})
    for (const Case& c : cases())
      if (c.beta == 0) check_case(c, p, true);
}

TEST(Gemm, TallSkinnyRowSplitCoversEveryRow) {
  // 40960 x 64 * 64 x 64 like a dense layer over N*C rows; a row the split
  // missed would keep its NaN.
  testing::FpTrapsOff traps_off;
  check_case({1003, 64, 64, false, false, 1, 0}, Path::eigen_rows, true);
  check_case({64, 64, 1003, true, false, 1, 0}, Path::eigen_rows, true);
}

TEST(Gemm, ShapeMismatchThrows) {
  View2<Real> A("A", 3, 4), B("B", 5, 2), C("C", 3, 2);
  EXPECT_THROW(gemm(ExecSpace(), Trans::no, Trans::no, Real(1), A, B, Real(0), C), InternalError);
  EXPECT_NO_THROW(
      gemm(ExecSpace(), Trans::no, Trans::yes, Real(1), A, View2<Real>("B", 2, 4), Real(0), C));
}

}  // namespace
}  // namespace pinnkit
