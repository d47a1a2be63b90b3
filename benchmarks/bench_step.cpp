// A full PINN training step (forward jets, residual seeds, reverse pass,
// Adam update) for the cases of benchmarks/step_case.hpp, the ones the
// PyTorch peers in benchmarks/peers/ time (benchmarks/compare.py runs both).
//   step/<case>/...      each case at its default point counts;
//   sweep/<case>/...     poisson_mlp_64x4 from 1k to 64k interior points,
//                        boundary = interior / 16 (512 at 8192, as the case);
//   chunk/<case>/...     each case at its default counts and a fixed number
//                        of points per chunk (Objective::set_chunk_points;
//                        1000000 = every term in one pass).
// Counters: gemm_flops (counted gemm FLOP/s, step_case.hpp), points, params.
// Threads: OMP_NUM_THREADS, as for the pinnkit command.
#include <benchmark/benchmark.h>

#include <string>

#include "benchmarks/step_case.hpp"

namespace {

using pinnkit::benchmarks::StepCase;
using pinnkit::benchmarks::TrainingStep;

void run_steps(benchmark::State& state, const StepCase& c, int interior, int boundary, int initial,
               int chunk = 0) {
  TrainingStep step(c, interior, boundary, initial, chunk);
  step.run();  // first step allocates the jet workspaces: keep it out of the timing
  for (auto _ : state) benchmark::DoNotOptimize(step.run());
  state.counters["gemm_flops"] =
      benchmark::Counter(step.gemm_flops() * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["points"] = step.point_count();
  state.counters["params"] = static_cast<double>(step.parameter_count());
}

void register_step(const std::string& group, const StepCase& c, int interior, int boundary,
                   int initial, int chunk = 0) {
  std::string name = group + "/" + c.name + "/interior:" + std::to_string(interior) +
                     "/boundary:" + std::to_string(boundary) + "/initial:" + std::to_string(initial);
  if (chunk > 0) name += "/chunk:" + std::to_string(chunk);
  benchmark::RegisterBenchmark(name.c_str(),
                               [c, interior, boundary, initial, chunk](benchmark::State& state) {
                                 run_steps(state, c, interior, boundary, initial, chunk);
                               })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

bool register_all() {
  for (const auto& c : pinnkit::benchmarks::step_cases())
    register_step("step", c, c.interior, c.boundary, c.initial);
  const auto& sweep = pinnkit::benchmarks::step_case("poisson_mlp_64x4");
  for (int n = 1024; n <= 65536; n *= 2) register_step("sweep", sweep, n, n / 16, 0);
  for (const auto& c : pinnkit::benchmarks::step_cases())
    for (int chunk : {32, 64, 128, 256, 512, 1024, 2048, 1000000})
      register_step("chunk", c, c.interior, c.boundary, c.initial, chunk);
  return true;
}

const bool registered = register_all();

}  // namespace
