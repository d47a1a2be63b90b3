// One LoTRA KAN layer, forward + backward (with the input adjoint) of one
// pass of `points` points with the jet channels of a 2-D Laplacian (C = 5),
// in each step form (adapter.contraction): the coefficient form (expand T
// per pass) and the feature-level form (tucker_features.hpp). Shapes: the
// middle layer of the KAN sweep (8 -> 8, G = 5, ranks [4,4,4]) and of the
// wider timing case (32 -> 32, G = 10, ranks [8,8,8] and [2,2,2]). The
// objective's passes are cache-sized chunks: 113 points for the 8-wide KAN,
// 18 for the 32-wide one at one thread (Objective::chunk_points), so the
// points axis brackets those. CPU time (the development machine is shared):
//   build/benchmarks/bench_lotra --benchmark_repetitions=3
// docs/transfer.md ("Time per step") has the readings and the crossover that
// lotra_features_pay encodes.
#include <benchmark/benchmark.h>

#include "adapters/lotra_kan.hpp"
#include "core/rng.hpp"

namespace {

using namespace pinnkit;
using adapters::LotraContraction;

struct Shape {
  int width, grid;
  std::array<int, 3> ranks;
};
const Shape shapes[] = {{8, 5, {4, 4, 4}}, {32, 10, {8, 8, 8}}, {32, 10, {2, 2, 2}}};

void fill(View3<Real> v, double lo, double hi, std::uint64_t seed) {
  auto h = Kokkos::create_mirror_view(v);
  HostRng rng(seed);
  for (std::size_t i = 0; i < h.span(); ++i) h.data()[i] = rng.uniform(lo, hi);
  Kokkos::deep_copy(v, h);
}

void BM_LotraPass(benchmark::State& state) {
  const Shape& s = shapes[state.range(0)];
  const auto form = state.range(1) == 0 ? LotraContraction::coefficients : LotraContraction::features;
  const int n = static_cast<int>(state.range(2));
  models::KanOptions o;
  o.grid = s.grid;
  models::ParamStore store;
  adapters::LotraKan layer("kan", s.width, s.width, o, {s.ranks, adapters::LotraLrScaling::component, form});
  layer.register_params(store);
  store.finalize();
  layer.initialize_params(1);
  std::vector<double> p = store.params_to_host();
  HostRng rng(2);
  for (double& x : p) x += rng.uniform(-0.1, 0.1);  // G != 0
  store.params_from_host(p);
  const JetSpec spec(2, {{2, 0}, {0, 2}});
  View3<Real> in("in", n, spec.channels(), s.width), out("out", n, spec.channels(), s.width);
  View3<Real> out_adj("out_adj", n, spec.channels(), s.width), in_adj("in_adj", n, spec.channels(), s.width);
  fill(in, -0.9, 0.9, 3);
  fill(out_adj, -1, 1, 4);
  for (auto _ : state) {
    layer.forward(ExecSpace(), spec, in, out);
    layer.backward(ExecSpace(), spec, out_adj, in_adj);
    Kokkos::fence();
  }
  state.SetLabel(std::string(form == LotraContraction::coefficients ? "coefficients" : "features") + " rows " +
                 std::to_string(n * spec.channels()));
}

// args: shape (0: 8 -> 8 G5 r4, 1: 32 -> 32 G10 r8, 2: 32 -> 32 G10 r2), form (0 coefficients, 1 features), points
BENCHMARK(BM_LotraPass)->ArgsProduct({{0, 1, 2}, {0, 1}, {1, 4, 18, 30, 113, 1024}})->Unit(benchmark::kMicrosecond);

}  // namespace
