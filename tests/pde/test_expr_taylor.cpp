// Taylor series arithmetic against Cauchy's integral formula (the plain
// function evaluated on a complex circle: an independent, nearly exact
// reference for every coefficient), closed forms, and central differences.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <functional>
#include <string>
#include <vector>

#include "pde/expr_compile.hpp"
#include "pde/expr_taylor.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {

using series::Taylor;
using Complex = std::complex<double>;
constexpr int K = 4;

/// Coefficients of h(s) = f(a(s)) by the trapezoidal rule on |s| = radius:
/// c_k = mean_m h(r w^m) (r w^m)^-k, exact up to radius^M terms.
std::vector<double> cauchy_coefficients(const std::function<Complex(Complex)>& f, const Taylor<K>& a,
                                        double radius = 0.05, int points = 64) {
  std::vector<double> c(K + 1, 0.0);
  for (int m = 0; m < points; ++m) {
    const Complex s = std::polar(radius, 2 * M_PI * m / points);
    Complex as = 0, sk = 1;
    for (int k = 0; k <= K; ++k, sk *= s) as += static_cast<double>(a.c[k]) * sk;
    const Complex h = f(as);
    Complex inv = 1;
    for (int k = 0; k <= K; ++k, inv /= s) c[k] += (h * inv).real() / points;
  }
  return c;
}

Taylor<K> series_of(std::vector<double> c) {
  Taylor<K> t;
  for (int k = 0; k <= K; ++k) t.c[k] = c[k];
  return t;
}

void expect_coefficients(const Taylor<K>& got, const std::vector<double>& want, const std::string& what) {
  for (int k = 0; k <= K; ++k)
    // 1e-10: the Cauchy-integral reference; in float Real's round-off in the
    // series recurrences dominates (a few hundred eps): tol(1e-13).
    EXPECT_NEAR(got.c[k], want[k], testing::tol_floor(1e-10, 1e-13) * (1 + std::abs(want[k])))
        << what << ", coefficient " << k;
}

struct UnaryCase {
  std::string name;
  std::function<Taylor<K>(const Taylor<K>&)> series;
  std::function<Complex(Complex)> reference;
  double at;  ///< value of a_0 (inside the function's domain)
};

TEST(ExprTaylor, EveryFunctionMatchesCauchyAtOrdersZeroToFour) {
  const std::vector<UnaryCase> cases{
      {"sin", [](const auto& a) { return series::sin(a); }, [](Complex z) { return std::sin(z); }, 0.7},
      {"cos", [](const auto& a) { return series::cos(a); }, [](Complex z) { return std::cos(z); }, -0.4},
      {"tan", [](const auto& a) { return series::tan(a); }, [](Complex z) { return std::tan(z); }, 0.3},
      {"exp", [](const auto& a) { return series::exp(a); }, [](Complex z) { return std::exp(z); }, 0.2},
      {"log", [](const auto& a) { return series::log(a); }, [](Complex z) { return std::log(z); }, 1.3},
      {"sqrt", [](const auto& a) { return series::sqrt(a); }, [](Complex z) { return std::sqrt(z); }, 0.8},
      {"tanh", [](const auto& a) { return series::tanh(a); }, [](Complex z) { return std::tanh(z); }, 0.5},
      {"sinh", [](const auto& a) { return series::sinh(a); }, [](Complex z) { return std::sinh(z); }, -0.9},
      {"cosh", [](const auto& a) { return series::cosh(a); }, [](Complex z) { return std::cosh(z); }, 0.6},
      {"sech", [](const auto& a) { return series::sech(a); }, [](Complex z) { return 1.0 / std::cosh(z); }, 0.4},
      {"abs(neg)", [](const auto& a) { return series::abs(a); }, [](Complex z) { return -z; }, -0.6},
      {"abs(pos)", [](const auto& a) { return series::abs(a); }, [](Complex z) { return z; }, 0.6},
      {"cube", [](const auto& a) { return series::pow(a, 3); }, [](Complex z) { return z * z * z; }, -0.7},
      {"inverse square", [](const auto& a) { return series::pow(a, -2); },
       [](Complex z) { return 1.0 / (z * z); }, -1.1},
      {"real power", [](const auto& a) { return series::pow(a, Real(1.7)); },
       [](Complex z) { return std::pow(z, 1.7); }, 0.9},
      {"reciprocal", [](const auto& a) { return Taylor<K>(Real(1)) / a; }, [](Complex z) { return 1.0 / z; }, 0.8},
  };
  // A general inner series: every coefficient non-zero, so that every term of
  // every recurrence matters.
  for (const auto& c : cases) {
    const Taylor<K> a = series_of({c.at, 0.8, -0.5, 0.3, 0.25});
    expect_coefficients(c.series(a), cauchy_coefficients(c.reference, a), c.name);
  }
}

TEST(ExprTaylor, BinaryOperatorsMatchCauchy) {
  const Taylor<K> a = series_of({0.7, -0.3, 0.2, 0.9, -0.4});
  const Taylor<K> b = series_of({1.4, 0.5, -0.6, 0.1, 0.3});
  auto on_s = [](const Taylor<K>& p, Complex s) {
    Complex v = 0, sk = 1;
    for (int k = 0; k <= K; ++k, sk *= s) v += static_cast<double>(p.c[k]) * sk;
    return v;
  };
  const Taylor<K> line = Taylor<K>::line(0, 1);  // s itself
  struct Case {
    std::string name;
    Taylor<K> got;
    std::function<Complex(Complex)> reference;
  };
  const std::vector<Case> cases{
      {"a+b", a + b, [&](Complex s) { return on_s(a, s) + on_s(b, s); }},
      {"a-b", a - b, [&](Complex s) { return on_s(a, s) - on_s(b, s); }},
      {"a*b", a * b, [&](Complex s) { return on_s(a, s) * on_s(b, s); }},
      {"a/b", a / b, [&](Complex s) { return on_s(a, s) / on_s(b, s); }},
      {"-a", -a, [&](Complex s) { return -on_s(a, s); }},
      {"b^a", series::pow(b, a), [&](Complex s) { return std::pow(on_s(b, s), on_s(a, s)); }},
  };
  for (const auto& c : cases) expect_coefficients(c.got, cauchy_coefficients(c.reference, line), c.name);
}

TEST(ExprTaylor, ClosedFormsAndLowerOrders) {
  // exp(x0 + s) = e^x0 sum s^k / k!
  const Taylor<K> e = series::exp(Taylor<K>::line(0.3, 1));
  double factorial = 1;
  for (int k = 0; k <= K; ++k, factorial *= k) EXPECT_NEAR(e.c[k], std::exp(0.3) / factorial, testing::tol(1e-14));
  // 1/(1 - s) = sum s^k
  const Taylor<K> geometric = Taylor<K>(Real(1)) / Taylor<K>::line(1, -1);
  for (int k = 0; k <= K; ++k) EXPECT_NEAR(geometric.c[k], 1.0, testing::tol(1e-14));
  // Orders 0..3 compute the same leading coefficients as order 4.
  const Taylor<2> low = series::tanh(Taylor<2>::line(0.4, 0.7));
  const Taylor<K> high = series::tanh(Taylor<K>::line(0.4, 0.7));
  for (int k = 0; k <= 2; ++k) EXPECT_NEAR(low.c[k], high.c[k], 1e-15);
  const Taylor<0> value = series::sqrt(Taylor<0>(Real(2)));
  EXPECT_NEAR(value.c[0], std::sqrt(2.0), testing::tol(1e-15));
}

TEST(ExprTaylor, FirstAndSecondCoefficientsMatchCentralDifferences) {
  auto h = [](double s) { return std::sin(0.4 + 0.9 * s) * std::exp(0.5 - s) / (1.5 + s); };
  const Taylor<K> s = Taylor<K>::line(0, 1);
  const Taylor<K> got = series::sin(Taylor<K>(Real(0.4)) + Taylor<K>(Real(0.9)) * s) *
                        series::exp(Taylor<K>(Real(0.5)) - s) / (Taylor<K>(Real(1.5)) + s);
  const double step = 1e-4;
  EXPECT_NEAR(got.c[0], h(0), testing::tol(1e-15));
  // The stencils (in double) are off by ~h^2; in float the series' round-off
  // (tens of eps) can exceed that: at least tol(1e-14).
  EXPECT_NEAR(got.c[1], (h(step) - h(-step)) / (2 * step), testing::tol_floor(1e-7, 1e-14));
  EXPECT_NEAR(got.c[2], (h(step) - 2 * h(0) + h(-step)) / (2 * step * step), testing::tol_floor(1e-5, 1e-14));
}

TEST(ExprTaylor, CompiledExpressionRunsOnTaylorSeries) {
  ExprSymbols symbols;
  symbols.inputs = {"x", "t"};
  symbols.parameters = {{"k", 2.0}};
  const ExprProgram program =
      compile_expression({"sin(k*pi*x)*exp(-t) + x^3/(1+t) - sqrt(1+x*x)*tanh(t) + min(x, t)", "test"}, symbols);
  const double x = 0.3, t = 0.6;
  // Direction (1, 2): x(s) = x + s, t(s) = t + 2 s.
  const Taylor<K> xs = Taylor<K>::line(x, 1), ts = Taylor<K>::line(t, 2);
  auto input = [&](int k) { return k == 0 ? xs : ts; };
  auto no_read = [](int) { return Taylor<K>(); };
  const Taylor<K> got = expr_detail::run<Taylor<K>>(program.code.data(), static_cast<int>(program.code.size()),
                                                    program.constants.data(), input, no_read);
  auto reference = [&](Complex s) {
    const Complex X = x + s, T = t + 2.0 * s;
    return std::sin(2.0 * M_PI * X) * std::exp(-T) + X * X * X / (1.0 + T) - std::sqrt(1.0 + X * X) * std::tanh(T) + X;
  };
  expect_coefficients(got, cauchy_coefficients(reference, Taylor<K>::line(0, 1)), "compiled expression");
  EXPECT_NEAR(got.c[0], evaluate_on_host(program, {x, t}, {}), 1e-14);
}

}  // namespace

}  // namespace pinnkit::pde
