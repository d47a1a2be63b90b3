#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/kokkos.hpp"
#include "core/runtime.hpp"

namespace pinnkit {

TEST(Runtime, ReportsTheBackendAndThreadsOfTheDefaultSpace) {
  EXPECT_EQ(backend_name(), std::string(ExecSpace::name()));
  EXPECT_GE(backend_threads(), 1);
  const char* omp = std::getenv("OMP_NUM_THREADS");
  if (omp && backend_name() == "OpenMP") {
    EXPECT_EQ(backend_threads(), std::atoi(omp));
  }
  EXPECT_EQ(kokkos_version().rfind("Kokkos ", 0), 0u);
}

TEST(Runtime, KernelsRunAndReduceOnTheDefaultSpace) {
  const int n = 1000;
  double sum = 0;
  Kokkos::parallel_reduce(
      "pinnkit::tests::sum", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(int i, double& s) { s += i; }, sum);
  EXPECT_DOUBLE_EQ(sum, n * (n - 1) / 2.0);
}

TEST(Errors, InputMessagesNameFileKeyAndExpectation) {
  EXPECT_EQ(input_message("c.yaml", "model.hidden[2]", "expected a positive integer, got -4"),
            "c.yaml: model.hidden[2]: expected a positive integer, got -4");
  EXPECT_THROW(PINNKIT_CHECK(1 == 2, "arithmetic"), InternalError);
}

}  // namespace pinnkit
