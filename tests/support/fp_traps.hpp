#pragma once
/// \brief Turns the test main's floating-point traps off for one scope, for
/// tests that create NaN or Inf on purpose (divergence detection, bad data).
#include <fenv.h>

namespace pinnkit::testing {

class FpTrapsOff {
 public:
  FpTrapsOff() : saved_(fegetexcept()) { fedisableexcept(FE_ALL_EXCEPT); }
  ~FpTrapsOff() {
    feclearexcept(FE_ALL_EXCEPT);
    feenableexcept(saved_);
  }
  FpTrapsOff(const FpTrapsOff&) = delete;
  FpTrapsOff& operator=(const FpTrapsOff&) = delete;

 private:
  int saved_;
};

}  // namespace pinnkit::testing
