#pragma once
/// \brief Dot products, norms and axpy on flat MemSpace vectors (any 1-D
/// views, e.g. rows of L-BFGS's (m, n) history): L-BFGS's building blocks.
/// Reductions accumulate in double whatever Real is.
#include "core/kokkos.hpp"
#include "core/math.hpp"

namespace pinnkit::solvers::lbfgs_linalg {

/// a . b
template <class A, class B>
double dot(const ExecSpace& exec, const A& a, const B& b) {
  double sum = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Lbfgs::dot", Kokkos::RangePolicy<ExecSpace>(exec, 0, a.extent(0)),
      KOKKOS_LAMBDA(int i, double& acc) { acc += static_cast<double>(a(i)) * b(i); }, sum);
  return sum;
}

/// (a - b) . (c - e), without forming the differences.
template <class A, class B, class C, class E>
double dot_of_differences(const ExecSpace& exec, const A& a, const B& b, const C& c, const E& e) {
  double sum = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Lbfgs::dot_of_differences", Kokkos::RangePolicy<ExecSpace>(exec, 0, a.extent(0)),
      KOKKOS_LAMBDA(int i, double& acc) {
        acc += (static_cast<double>(a(i)) - b(i)) * (static_cast<double>(c(i)) - e(i));
      },
      sum);
  return sum;
}

/// y <- y + alpha x
template <class X, class Y>
void axpy(const ExecSpace& exec, double alpha, const X& x, const Y& y) {
  const Real a = alpha;
  Kokkos::parallel_for(
      "pinnkit::solvers::Lbfgs::axpy", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i) { y(i) += a * x(i); });
}

/// y <- y + alpha x, then returns z . y (y updated): one pass over the
/// vectors where axpy then dot make two; the two-loop recursion alternates
/// them 2m times per direction. Each y(i) gets the same value as in axpy;
/// the sum may differ from dot's in rounding (the compiler may vectorize the
/// two loops' reductions differently), so directions are not bit-identical to
/// the unfused recursion's, though every run is still reproducible.
template <class X, class Y, class Z>
double axpy_dot(const ExecSpace& exec, double alpha, const X& x, const Y& y, const Z& z) {
  const Real a = alpha;
  double sum = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Lbfgs::axpy_dot", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i, double& acc) {
        y(i) += a * x(i);
        acc += static_cast<double>(z(i)) * y(i);
      },
      sum);
  return sum;
}

/// x <- alpha x, then returns z . x (x scaled); as scale then dot, up to the
/// rounding of the sum (see axpy_dot).
template <class X, class Z>
double scale_dot(const ExecSpace& exec, double alpha, const X& x, const Z& z) {
  const Real a = alpha;
  double sum = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Lbfgs::scale_dot", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i, double& acc) {
        x(i) *= a;
        acc += static_cast<double>(z(i)) * x(i);
      },
      sum);
  return sum;
}

/// out <- x + alpha d
template <class X, class D, class Out>
void step_from(const ExecSpace& exec, const X& x, double alpha, const D& d, const Out& out) {
  const Real a = alpha;
  Kokkos::parallel_for(
      "pinnkit::solvers::Lbfgs::step_from", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i) { out(i) = x(i) + a * d(i); });
}

/// out <- a - b
template <class A, class B, class Out>
void difference(const ExecSpace& exec, const A& a, const B& b, const Out& out) {
  Kokkos::parallel_for(
      "pinnkit::solvers::Lbfgs::difference", Kokkos::RangePolicy<ExecSpace>(exec, 0, a.extent(0)),
      KOKKOS_LAMBDA(int i) { out(i) = a(i) - b(i); });
}

/// x <- alpha x
template <class X>
void scale(const ExecSpace& exec, double alpha, const X& x) {
  const Real a = alpha;
  Kokkos::parallel_for(
      "pinnkit::solvers::Lbfgs::scale", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i) { x(i) *= a; });
}

/// max_i |x(i)| (0 for an empty vector)
template <class X>
double inf_norm(const ExecSpace& exec, const X& x) {
  double largest = 0;
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Lbfgs::inf_norm", Kokkos::RangePolicy<ExecSpace>(exec, 0, x.extent(0)),
      KOKKOS_LAMBDA(int i, double& m) {
        const double v = math::abs(x(i));
        m = v > m ? v : m;
      },
      Kokkos::Max<double>(largest));
  return x.extent(0) == 0 ? 0.0 : largest;
}

}  // namespace pinnkit::solvers::lbfgs_linalg
