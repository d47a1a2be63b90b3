// Forward and forward+backward of a 4x64 tanh MLP (2 inputs, 1 output) on
// 8192 points with the jet channels of a 2-D Laplacian (u_xx, u_yy: C = 5),
// the shape of a PINN step for Poisson. "gemm_flops" counts the dense-layer
// products only (2 * rows * in * out per gemm, rows = N * C).
#include <benchmark/benchmark.h>

#include "core/gemm.hpp"
#include "core/rng.hpp"
#include "core/runtime.hpp"
#include "models/make_model.hpp"

namespace {

using namespace pinnkit;
using namespace pinnkit::models;

struct Setup {
  ParamStore store;
  std::unique_ptr<Model> model;
  JetSpec spec{2, {{2, 0}, {0, 2}}};
  View2<Real> points;
  View3<Real> out_adj;
  double gemm_flops_forward = 0, gemm_flops_backward = 0;

  explicit Setup(int n) {
    ModelSpec ms;
    ms.hidden = {64, 64, 64, 64};
    ms.activation = "tanh";
    model = make_model(ms, 2, 1, {-1, -1}, {1, 1}, store, 1);
    points = View2<Real>("points", n, 2);
    auto h = Kokkos::create_mirror_view(points);
    HostRng rng(3);
    for (int i = 0; i < n; ++i) h(i, 0) = rng.uniform(-1, 1), h(i, 1) = rng.uniform(-1, 1);
    Kokkos::deep_copy(points, h);
    out_adj = View3<Real>("out_adj", n, spec.channels(), 1);
    Kokkos::deep_copy(out_adj, Real(1e-3));
    const double rows = double(n) * spec.channels();
    const int widths[] = {2, 64, 64, 64, 64, 1};
    for (int l = 0; l < 5; ++l) {
      const double mn = double(widths[l]) * widths[l + 1];
      gemm_flops_forward += 2 * rows * mn;
      gemm_flops_backward += 2 * rows * mn * (l == 0 ? 1 : 2);  // no input adjoint for layer 0
    }
  }
};

void BM_MlpForward(benchmark::State& state) {
  set_gemm_host_threading(static_cast<GemmHostThreading>(state.range(1)));
  Setup s(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    s.model->forward(s.spec, s.points);
    Kokkos::fence();
  }
  state.counters["gemm_flops"] =
      benchmark::Counter(s.gemm_flops_forward * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_MlpForwardBackward(benchmark::State& state) {
  set_gemm_host_threading(static_cast<GemmHostThreading>(state.range(1)));
  Setup s(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    s.model->forward(s.spec, s.points);
    s.store.zero_grads();
    s.model->backward(s.spec, s.out_adj);
    Kokkos::fence();
  }
  state.counters["gemm_flops"] =
      benchmark::Counter((s.gemm_flops_forward + s.gemm_flops_backward) * state.iterations(),
                         benchmark::Counter::kIsRate);
}

// args: points, host gemm threading (0 kokkos_rows, 1 eigen, 2 serial)
BENCHMARK(BM_MlpForward)
    ->ArgsProduct({{8192}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_MlpForwardBackward)
    ->ArgsProduct({{8192}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  pinnkit::Runtime runtime;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
