// Dual numbers: every operation's tangents vs central finite differences,
// integer/real powers, and use inside a Kokkos kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/dual.hpp"
#include "core/kokkos.hpp"

namespace pinnkit {
namespace {

using D2 = Dual<2, double>;

// f(x, y) on duals seeded with tangents e_x, e_y vs central differences
// (h = 1e-6: truncation ~1e-12, round-off ~1e-10; tolerance 1e-7 relative).
void check(const std::string& name, const std::function<D2(D2, D2)>& f, double x, double y) {
  const D2 r = f(D2::variable(x, 0), D2::variable(y, 1));
  auto val = [&](double a, double b) { return f(D2(a), D2(b)).v; };
  const double h = 1e-6;
  const double fx = (val(x + h, y) - val(x - h, y)) / (2 * h);
  const double fy = (val(x, y + h) - val(x, y - h)) / (2 * h);
  EXPECT_DOUBLE_EQ(r.v, val(x, y)) << name;
  EXPECT_NEAR(r.d[0], fx, 1e-7 * std::max(1.0, std::abs(fx))) << name << " d/dx";
  EXPECT_NEAR(r.d[1], fy, 1e-7 * std::max(1.0, std::abs(fy))) << name << " d/dy";
}

TEST(Dual, ArithmeticMatchesFiniteDifferences) {
  check(
      "x+y", [](D2 x, D2 y) { return x + y; }, 0.3, -1.2);
  check(
      "x-y", [](D2 x, D2 y) { return x - y; }, 0.3, -1.2);
  check(
      "x*y", [](D2 x, D2 y) { return x * y; }, 0.3, -1.2);
  check(
      "x/y", [](D2 x, D2 y) { return x / y; }, 0.3, -1.2);
  check(
      "-x+2y-1", [](D2 x, D2 y) { return -x + 2 * y - 1; }, 0.3, -1.2);
  check(
      "3/(x*y)+y/2", [](D2 x, D2 y) { return 3.0 / (x * y) + y / 2.0; }, 0.7, -1.2);
  check(
      "x*=y, /=x",
      [](D2 x, D2 y) {
        D2 z = x;
        z *= y;
        z /= (x + 3);
        z -= y;
        z += 1;
        return z;
      },
      0.4, 0.9);
}

TEST(Dual, ElementaryFunctionsMatchFiniteDifferences) {
  check(
      "sin", [](D2 x, D2 y) { return sin(x * y); }, 0.3, 1.7);
  check(
      "cos", [](D2 x, D2 y) { return cos(x + y); }, 0.3, 1.7);
  check(
      "tan", [](D2 x, D2 y) { return tan(x - y); }, 0.3, 0.7);
  check(
      "exp", [](D2 x, D2 y) { return exp(x * y); }, 0.3, 1.7);
  check(
      "log", [](D2 x, D2 y) { return log(x * y); }, 0.3, 1.7);
  check(
      "sqrt", [](D2 x, D2 y) { return sqrt(x + y); }, 0.3, 1.7);
  check(
      "abs+", [](D2 x, D2 y) { return abs(x * y); }, 0.3, 1.7);
  check(
      "abs-", [](D2 x, D2 y) { return abs(x * y); }, -0.3, 1.7);
  check(
      "tanh", [](D2 x, D2 y) { return tanh(x * y); }, 0.3, 1.7);
  check(
      "sinh", [](D2 x, D2 y) { return sinh(x - y); }, 0.3, 1.7);
  check(
      "cosh", [](D2 x, D2 y) { return cosh(x - y); }, 0.3, 1.7);
}

TEST(Dual, PowersMatchFiniteDifferences) {
  check(
      "pow3", [](D2 x, D2 y) { return pow(x + y, 3); }, 0.3, -1.7);
  check(
      "pow-2", [](D2 x, D2 y) { return pow(x + y, -2); }, 0.3, -1.7);
  check(
      "pow0", [](D2 x, D2 y) { return pow(x + y, 0) * y; }, 0.3, -1.7);
  check(
      "pow2.5", [](D2 x, D2 y) { return pow(x * y, 2.5); }, 0.3, 1.7);
  check(
      "pow2.0 on negative base", [](D2 x, D2 y) { return pow(x * y, 2.0); }, -0.3, 1.7);
  check(
      "pow dual", [](D2 x, D2 y) { return pow(x, y); }, 0.8, 1.7);
  // u^2 at u = 0: derivative 0, not NaN from a real-power formula.
  const D2 z = pow(D2::variable(0.0, 0), 2.0);
  EXPECT_EQ(z.d[0], 0.0);
}

TEST(Dual, ComparisonsUseValues) {
  const D2 a = D2::variable(1.0, 0), b = D2::variable(2.0, 1);
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b >= 2.0);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(1.0 == a);
}

TEST(Dual, WorksInsideKernels) {
  // d/dx sum_i sin(i x) = sum_i i cos(i x).
  const double x = 0.37;
  double tangent = 0;
  Kokkos::parallel_reduce(
      "pinnkit::test::Dual::kernel", Kokkos::RangePolicy<ExecSpace>(0, 100),
      KOKKOS_LAMBDA(int i, double& acc) {
        const Dual<1, double> v = sin(double(i) * Dual<1, double>::variable(x, 0));
        acc += v.d[0];
      },
      tangent);
  double expected = 0;
  for (int i = 0; i < 100; ++i) expected += i * std::cos(i * x);
  EXPECT_NEAR(tangent, expected, 1e-10 * std::abs(expected) + 1e-12);
}

}  // namespace
}  // namespace pinnkit
