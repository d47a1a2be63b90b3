// gemm() on the shapes of a dense layer over N*C jet rows (40960 x 64 times
// 64 x 64 and the two backward products), for every host threading mode;
// on the shapes a training step runs now that it works in chunks (2048 rows:
// 512 points x 4 channels, layers 50 and 64 wide); and on a large square
// product (the machine's gemm rate that docs/performance.md compares a
// training step with).
// GFLOP/s are reported as the "flops" counter.
#include <benchmark/benchmark.h>

#include "core/gemm.hpp"

namespace {

using namespace pinnkit;

const char* threading_label(GemmHostThreading mode) {
  return mode == GemmHostThreading::kokkos_rows ? "kokkos_rows"
         : mode == GemmHostThreading::eigen     ? "eigen_threads"
                                                : "serial";
}

// args: rows M, threading mode, which product (0 forward, 1 input adjoint,
// 2 weight gradient), layer width f
void BM_DenseGemm(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const auto mode = static_cast<GemmHostThreading>(state.range(1));
  const int product = static_cast<int>(state.range(2));
  const int f = static_cast<int>(state.range(3));
  View2<Real> X("X", rows, f), W("W", f, f), Y("Y", rows, f), G("G", f, f);
  Kokkos::deep_copy(X, 0.5);
  Kokkos::deep_copy(W, 0.25);
  Kokkos::deep_copy(Y, 0.125);
  set_gemm_host_threading(mode);
  for (auto _ : state) {
    if (product == 0) gemm(ExecSpace(), Trans::no, Trans::yes, Real(1), X, W, Real(0), Y);
    if (product == 1) gemm(ExecSpace(), Trans::no, Trans::no, Real(1), Y, W, Real(0), X);
    if (product == 2) gemm(ExecSpace(), Trans::yes, Trans::no, Real(1), Y, X, Real(1), G);
    benchmark::ClobberMemory();
  }
  state.counters["flops"] = benchmark::Counter(2.0 * rows * f * f * state.iterations(),
                                               benchmark::Counter::kIsRate);
  state.SetLabel(threading_label(mode));
}
BENCHMARK(BM_DenseGemm)
    ->ArgsProduct({{40960}, {0, 1, 2}, {0, 1, 2}, {64}})
    ->ArgsProduct({{2048}, {0}, {0, 1, 2}, {50, 64}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// args: n (C = A B, all n x n), threading mode
void BM_LargeGemm(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto mode = static_cast<GemmHostThreading>(state.range(1));
  View2<Real> A("pinnkit::benchmarks::A", n, n), B("pinnkit::benchmarks::B", n, n),
      C("pinnkit::benchmarks::C", n, n);
  Kokkos::deep_copy(A, 0.5);
  Kokkos::deep_copy(B, 0.25);
  set_gemm_host_threading(mode);
  gemm(ExecSpace(), Trans::no, Trans::no, Real(1), A, B, Real(0), C);  // warm caches and threads
  for (auto _ : state) {
    gemm(ExecSpace(), Trans::no, Trans::no, Real(1), A, B, Real(0), C);
    benchmark::ClobberMemory();
  }
  state.counters["flops"] =
      benchmark::Counter(2.0 * n * n * double(n) * state.iterations(), benchmark::Counter::kIsRate);
  state.SetLabel(threading_label(mode));
}
BENCHMARK(BM_LargeGemm)
    ->ArgsProduct({{512, 2048}, {0, 1}})  // 512: the smoke run's size
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
