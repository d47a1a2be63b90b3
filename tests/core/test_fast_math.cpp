// math::exp_nonpositive against exp, and math::fast_tanh against the C
// library's tanh in ulps (double vs long double
// tanhl, float vs double tanh) over a dense sweep and tiny/denormal |x|, both
// signs; odd symmetry, special values, and the same values from a kernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "core/fast_math.hpp"
#include "core/kokkos.hpp"

namespace pinnkit {
namespace {

// Measured max errors over sweep() (x86-64, GCC, -march=native, so FMA
// contraction on): double 2.49 ulp (x ~ -7.54), float 2.49 ulp (x ~ -4.51);
// the division form -em / (2 + em) costs up to ~2 ulp by itself. Dropping
// the degree-13 Taylor term alone gives 4.98 ulp, dropping the Cody-Waite
// low part of ln2 gives millions of ulps (double) and 48 (float).
constexpr double max_ulp_double = 3;
constexpr double max_ulp_float = 3;

// |value - reference| in units of the spacing of T at the reference.
template <class T>
double ulp_error(T value, long double reference) {
  if (static_cast<long double>(value) == reference) return 0;
  // The spacing below |rounded|: at a power of two (tanh -> 1) that is the
  // finer spacing of the binade the reference lies in.
  const T mag = std::abs(static_cast<T>(reference));
  const long double ulp =
      mag == 0 ? std::numeric_limits<T>::denorm_min() : mag - std::nextafter(mag, T(0));
  return static_cast<double>(std::abs(static_cast<long double>(value) - reference) / ulp);
}

template <class T>
long double reference_tanh(T x);
template <>
long double reference_tanh(double x) {
  return std::tanh(static_cast<long double>(x));
}
template <>
long double reference_tanh(float x) {
  return std::tanh(static_cast<double>(x));
}

// 2e6 points on [-25, 25] plus +-10^e for e in [-300, 1] (double; [-45, 1]
// for float, down to denormals) at 20 points per decade, and a few denormals.
template <class T>
std::vector<T> sweep() {
  std::vector<T> xs;
  const int n = 2000000;
  for (int i = 0; i <= n; ++i) xs.push_back(static_cast<T>(-25.0 + 50.0 * i / n));
  const int lowest_decade = sizeof(T) == 8 ? -300 : -45;
  for (int i = lowest_decade * 20; i <= 20; ++i) {
    const T x = static_cast<T>(std::pow(10.0, i / 20.0));
    if (x == 0) continue;
    xs.push_back(x);
    xs.push_back(-x);
  }
  const T denorm = std::numeric_limits<T>::denorm_min();
  for (T x : {denorm, 3 * denorm, std::numeric_limits<T>::min() / 3}) {
    xs.push_back(x);
    xs.push_back(-x);
  }
  return xs;
}

template <class T>
double max_ulp_error(const std::vector<T>& xs, const std::vector<T>& values, T* worst) {
  double max_err = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double e = ulp_error(values[i], reference_tanh(xs[i]));
    if (e > max_err) max_err = e, *worst = xs[i];
  }
  return max_err;
}

template <class T>
void check_sweep_on_host(double bound) {
  const std::vector<T> xs = sweep<T>();
  std::vector<T> values(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) values[i] = math::fast_tanh(xs[i]);
  T worst = 0;
  const double err = max_ulp_error(xs, values, &worst);
  EXPECT_LT(err, bound) << "worst at x = " << worst;
  std::printf("fast_tanh<%s>: max error %.3f ulp at x = %.17g\n", sizeof(T) == 8 ? "double" : "float",
              err, static_cast<double>(worst));
}

TEST(FastTanh, DoubleWithinBoundOfLibm) { check_sweep_on_host<double>(max_ulp_double); }
TEST(FastTanh, FloatWithinBoundOfLibm) { check_sweep_on_host<float>(max_ulp_float); }

template <class T>
void check_odd() {
  for (T x : sweep<T>()) {
    ASSERT_EQ(math::fast_tanh(-x), -math::fast_tanh(x)) << "x = " << x;
    ASSERT_EQ(std::signbit(math::fast_tanh(x)), std::signbit(x)) << "x = " << x;
  }
}

TEST(FastTanh, OddSymmetryExact) {
  check_odd<double>();
  check_odd<float>();
}

template <class T>
void check_special_values() {
  const T zero = 0, inf = std::numeric_limits<T>::infinity();
  EXPECT_EQ(math::fast_tanh(zero), 0);
  EXPECT_FALSE(std::signbit(math::fast_tanh(zero)));
  EXPECT_EQ(math::fast_tanh(-zero), 0);
  EXPECT_TRUE(std::signbit(math::fast_tanh(-zero)));
  const T denorm = std::numeric_limits<T>::denorm_min();
  EXPECT_EQ(math::fast_tanh(denorm), denorm);
  EXPECT_EQ(math::fast_tanh(-denorm), -denorm);
  for (T x : {T(20), T(25), T(710), T(1e30), std::numeric_limits<T>::max(), inf}) {
    EXPECT_EQ(math::fast_tanh(x), 1) << "x = " << x;
    EXPECT_EQ(math::fast_tanh(-x), -1) << "x = " << x;
  }
  // Quiet NaN through bit selects raises no FE_INVALID, so the test main's
  // traps stay on here: a trap would fail the test.
  const T nan = std::numeric_limits<T>::quiet_NaN();
  EXPECT_TRUE(std::isnan(math::fast_tanh(nan)));
  EXPECT_TRUE(std::isnan(math::fast_tanh(-nan)));
}

TEST(FastTanh, SpecialValues) {
  check_special_values<double>();
  check_special_values<float>();
}

// The clamps (20 in double, 10 in float) must lie where tanh already rounds
// to 1, else fast_tanh would saturate early; and just below them the result
// must still be within the bound.
template <class T>
void check_clamp(T clamp, double bound) {
  EXPECT_EQ(static_cast<T>(reference_tanh(clamp)), T(1));
  const T below = std::nextafter(clamp, T(0));
  EXPECT_LT(ulp_error(math::fast_tanh(below), reference_tanh(below)), bound);
}

TEST(FastTanh, ClampLiesWhereTanhRoundsToOne) {
  check_clamp<double>(20, max_ulp_double);
  check_clamp<float>(10, max_ulp_float);
}

// The same sweep evaluated inside a kernel on the default execution space:
// the path the activation kernels take (and the device code path on GPUs).
template <class T>
void check_in_kernel(double bound) {
  const std::vector<T> xs = sweep<T>();
  const int n = static_cast<int>(xs.size());
  Kokkos::View<T*, MemSpace> x("pinnkit::tests::FastTanh::x", n), t("pinnkit::tests::FastTanh::t", n);
  auto x_host = Kokkos::create_mirror_view(x);
  for (int i = 0; i < n; ++i) x_host(i) = xs[i];
  Kokkos::deep_copy(x, x_host);
  Kokkos::parallel_for(
      "pinnkit::tests::FastTanh::kernel", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(int i) { t(i) = math::fast_tanh(x(i)); });
  auto t_host = Kokkos::create_mirror_view_and_copy(HostSpace{}, t);
  std::vector<T> values(t_host.data(), t_host.data() + n);
  T worst = 0;
  EXPECT_LT(max_ulp_error(xs, values, &worst), bound) << "worst at x = " << worst;
  for (int i = 0; i < n; ++i) {
    if (xs[i] == 0 || std::abs(xs[i]) >= 20) {
      ASSERT_EQ(values[i], math::fast_tanh(xs[i])) << "x = " << xs[i];
    }
  }
}

TEST(FastTanh, SameBoundInsideKernel) {
  check_in_kernel<double>(max_ulp_double);
  check_in_kernel<float>(max_ulp_float);
}

// exp_nonpositive (the SiLU's logistic in the KAN kernels): within 2 ulp of
// exp on [-708, 0] in double and [-87, 0] in float, 1 at 0, clamped below.
TEST(FastMath, ExpNonpositiveMatchesExp) {
  double worst = 0, worst_float = 0;
  for (double y = -708.0; y <= 0.0; y += 0.01234567) worst = std::max(worst, ulp_error(math::exp_nonpositive(y), std::exp(static_cast<long double>(y))));
  for (float y = -87.0f; y <= 0.0f; y += 0.0123f) worst_float = std::max(worst_float, ulp_error(math::exp_nonpositive(y), std::exp(static_cast<long double>(y))));
  EXPECT_LE(worst, 2.0);
  EXPECT_LE(worst_float, 2.0);
  EXPECT_EQ(math::exp_nonpositive(0.0), 1.0);
  EXPECT_EQ(math::exp_nonpositive(0.0f), 1.0f);
  EXPECT_LE(math::exp_nonpositive(-1000.0), 1e-300);  // clamped: tiny, finite, not negative
  EXPECT_GE(math::exp_nonpositive(-1000.0), 0.0);
}

}  // namespace
}  // namespace pinnkit
