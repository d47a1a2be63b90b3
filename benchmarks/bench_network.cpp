// Forward and forward+backward of the networks of the Taylor-jet issue on
// 8192 points with the jet channels of a 2-D Laplacian (u_xx, u_yy: C = 5),
// the shape of a PINN step for Poisson:
//   mlp: 2-64-64-64-64-1 tanh;  kan: [2, 32, 32, 1], G = 10, cubic, SiLU base.
// "gemm_flops" counts the dense-layer products of the MLP only
// (2 * rows * in * out per gemm, rows = N * C).
#include <benchmark/benchmark.h>

#include "core/gemm.hpp"
#include "core/rng.hpp"
#include "models/make_model.hpp"

namespace {

using namespace pinnkit;
using namespace pinnkit::models;

ModelSpec network(const std::string& type) {
  ModelSpec ms;
  ms.type = type;
  ms.hidden = {64, 64, 64, 64};
  ms.activation = "tanh";
  ms.kan_hidden = {32, 32};
  ms.grid = 10;
  ms.degree = 3;
  return ms;
}

struct Setup {
  ParamStore store;
  std::unique_ptr<Model> model;
  JetSpec spec{2, {{2, 0}, {0, 2}}};
  View2<Real> points;
  View3<Real> out_adj;
  double gemm_flops_forward = 0, gemm_flops_backward = 0;

  Setup(const std::string& type, int n) {
    model = make_model(network(type), 2, 1, {-1, -1}, {1, 1}, store, 1);
    points = View2<Real>("pinnkit::benchmarks::points", n, 2);
    auto h = Kokkos::create_mirror_view(points);
    HostRng rng(3);
    for (int i = 0; i < n; ++i) h(i, 0) = rng.uniform(-1, 1), h(i, 1) = rng.uniform(-1, 1);
    Kokkos::deep_copy(points, h);
    out_adj = View3<Real>("pinnkit::benchmarks::out_adj", n, spec.channels(), 1);
    Kokkos::deep_copy(out_adj, Real(1e-3));
    if (type != "mlp") return;
    const double rows = double(n) * spec.channels();
    const int widths[] = {2, 64, 64, 64, 64, 1};
    for (int l = 0; l < 5; ++l) {
      const double mn = double(widths[l]) * widths[l + 1];
      gemm_flops_forward += 2 * rows * mn;
      gemm_flops_backward += 2 * rows * mn * (l == 0 ? 1 : 2);  // no input adjoint for layer 0
    }
  }
};

const char* type_of(const benchmark::State& state) { return state.range(0) == 0 ? "mlp" : "kan"; }

void BM_Forward(benchmark::State& state) {
  set_gemm_host_threading(static_cast<GemmHostThreading>(state.range(2)));
  Setup s(type_of(state), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    s.model->forward(s.spec, s.points);
    Kokkos::fence();
  }
  state.SetLabel(type_of(state));
  state.counters["gemm_flops"] =
      benchmark::Counter(s.gemm_flops_forward * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_ForwardBackward(benchmark::State& state) {
  set_gemm_host_threading(static_cast<GemmHostThreading>(state.range(2)));
  Setup s(type_of(state), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    s.model->forward(s.spec, s.points);
    s.store.zero_grads();
    s.model->backward(s.spec, s.out_adj);
    Kokkos::fence();
  }
  state.SetLabel(type_of(state));
  state.counters["gemm_flops"] =
      benchmark::Counter((s.gemm_flops_forward + s.gemm_flops_backward) * state.iterations(),
                         benchmark::Counter::kIsRate);
}

// args: network (0 mlp, 1 kan), points, host gemm threading (0 kokkos_rows, 1 eigen)
BENCHMARK(BM_Forward)
    ->ArgsProduct({{0, 1}, {8192}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ForwardBackward)
    ->ArgsProduct({{0, 1}, {8192}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
