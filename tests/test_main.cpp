// Test main: Kokkos initialised once per binary, and invalid floating-point
// operations trapped so that a NaN fails the test where it is born.
#include <fenv.h>
#include <gtest/gtest.h>

#include "core/runtime.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  pinnkit::Runtime runtime;
  feenableexcept(FE_INVALID | FE_DIVBYZERO);
  return RUN_ALL_TESTS();
}
