// Shared main of the benchmark programs: Kokkos lives for the whole run.
#include <benchmark/benchmark.h>

#include "core/runtime.hpp"

int main(int argc, char** argv) {
  pinnkit::Runtime runtime;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
