// Staged Tucker contractions (tucker.hpp). Every stage is one parallel_for
// over the entries it writes with short inner loops over ranks or one mode:
// the tensors of a PINN KAN are small (n_out n_in K ~ 1e4), so these run in
// microseconds next to the layer's gemm over the N*C jet rows.
#include "models/tucker.hpp"

#include <string>

namespace pinnkit::models {

namespace {

void ensure3(View3<Real>& v, const char* label, int a, int b, int c) {
  if (v.data() != nullptr && static_cast<int>(v.extent(0)) == a && static_cast<int>(v.extent(1)) == b &&
      static_cast<int>(v.extent(2)) == c)
    return;
  v = View3<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), a, b, c);
}

// Flat index ranges (an MDRangePolicy's tiling cost more than these small
// loops on the OpenMP backend: measured with perf on a 32-wide Slim KAN).
template <class F>
void for3(const char* label, const ExecSpace& exec, int n0, int n1, int n2, const F& f) {
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<ExecSpace>(exec, 0, n0 * n1 * n2), KOKKOS_LAMBDA(const int i) {
        const int k = i % n2, t = i / n2;
        f(t / n1, t % n1, k);
      });
}
template <class F>
void for2(const char* label, const ExecSpace& exec, int n0, int n1, const F& f) {
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<ExecSpace>(exec, 0, n0 * n1), KOKKOS_LAMBDA(const int i) { f(i / n1, i % n1); });
}

// M[a,p,c] = sum_b G[a,b,c] U_in[p,b]
void stage_m(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& m) {
  const int r1 = static_cast<int>(f.core.extent(0)), r2 = static_cast<int>(f.core.extent(1)),
            r3 = static_cast<int>(f.core.extent(2)), n_in = static_cast<int>(f.in.extent(0));
  const auto G = f.core;
  const auto Ui = f.in;
  for3("pinnkit::models::tucker::expand_m", exec, r1, n_in, r3, KOKKOS_LAMBDA(int a, int p, int c) {
        Real s = 0;
        for (int b = 0; b < r2; ++b) s += G(a, b, c) * Ui(p, b);
        m(a, p, c) = s;
      });
}

// N[a,p,j] = sum_c M[a,p,c] U_bas[j,c]
void stage_n(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& m, const View3<Real>& n) {
  const int r1 = static_cast<int>(f.core.extent(0)), r3 = static_cast<int>(f.core.extent(2));
  const int n_in = static_cast<int>(f.in.extent(0)), K = static_cast<int>(f.basis.extent(0));
  const auto Ub = f.basis;
  for3("pinnkit::models::tucker::expand_n", exec, r1, n_in, K, KOKKOS_LAMBDA(int a, int p, int j) {
    Real s = 0;
    for (int c = 0; c < r3; ++c) s += m(a, p, c) * Ub(j, c);
    n(a, p, j) = s;
  });
}

// out[q,p,j] = beta out + sum_a U_out[q,a] N[a,p,j]
void stage_t(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& n, Real beta,
             const View3<Real>& out) {
  const int r1 = static_cast<int>(f.core.extent(0));
  const int n_out = static_cast<int>(out.extent(0)), n_in = static_cast<int>(out.extent(1)),
            K = static_cast<int>(out.extent(2));
  const auto Uo = f.out;
  for3("pinnkit::models::tucker::expand_t", exec, n_out, n_in, K, KOKKOS_LAMBDA(int q, int p, int j) {
    Real s = 0;
    for (int a = 0; a < r1; ++a) s += Uo(q, a) * n(a, p, j);
    out(q, p, j) = (beta == Real(0) ? Real(0) : beta * out(q, p, j)) + s;
  });
}

}  // namespace

void TuckerContraction::expand(const ExecSpace& exec, const TuckerViews& f, Real beta, const View3<Real>& out) {
  ensure3(m_, "pinnkit::models::Tucker::m", static_cast<int>(f.core.extent(0)), static_cast<int>(f.in.extent(0)),
          static_cast<int>(f.core.extent(2)));
  ensure3(n_, "pinnkit::models::Tucker::n", static_cast<int>(f.core.extent(0)), static_cast<int>(f.in.extent(0)),
          static_cast<int>(f.basis.extent(0)));
  stage_m(exec, f, m_);
  stage_n(exec, f, m_, n_);
  stage_t(exec, f, n_, beta, out);
}

void TuckerContraction::backward(const ExecSpace& exec, const TuckerViews& f, const View3<const Real>& dA,
                                 const TuckerViews& grad, TuckerFault fault) {
  const int r1 = static_cast<int>(f.core.extent(0)), r2 = static_cast<int>(f.core.extent(1)),
            r3 = static_cast<int>(f.core.extent(2));
  const int n_out = static_cast<int>(dA.extent(0)), n_in = static_cast<int>(dA.extent(1)),
            K = static_cast<int>(dA.extent(2));
  const auto G = f.core;
  const auto Uo = f.out;
  const auto Ui = f.in;
  const auto Ub = f.basis;
  const bool want_core = grad.core.data() != nullptr, want_out = grad.out.data() != nullptr;
  const bool want_in = grad.in.data() != nullptr, want_basis = grad.basis.data() != nullptr;
  // Loop ends of the four final contractions; a fault drops the last term of one.
  const int q_end = fault == TuckerFault::core ? n_out - 1 : n_out;
  const int b_end = fault == TuckerFault::out ? r2 - 1 : r2;
  const int c_end = fault == TuckerFault::in ? r3 - 1 : r3;
  const int a_end = fault == TuckerFault::basis ? r1 - 1 : r1;

  if (want_core || want_out || want_in) {
    ensure3(x1_, "pinnkit::models::Tucker::x1", n_out, n_in, r3);
    const auto x1 = x1_;
    for3("pinnkit::models::tucker::x1", exec, n_out, n_in, r3, KOKKOS_LAMBDA(int q, int p, int c) {
          Real s = 0;
          for (int j = 0; j < K; ++j) s += dA(q, p, j) * Ub(j, c);
          x1(q, p, c) = s;
        });
    if (want_core || want_out) {
      ensure3(x2_, "pinnkit::models::Tucker::x2", n_out, r2, r3);
      const auto x2 = x2_;
      for3("pinnkit::models::tucker::x2", exec, n_out, r2, r3, KOKKOS_LAMBDA(int q, int b, int c) {
            Real s = 0;
            for (int p = 0; p < n_in; ++p) s += x1(q, p, c) * Ui(p, b);
            x2(q, b, c) = s;
          });
      if (want_core) {
        const auto dG = grad.core;
        for3("pinnkit::models::tucker::d_core", exec, r1, r2, r3, KOKKOS_LAMBDA(int a, int b, int c) {
              Real s = 0;
              for (int q = 0; q < q_end; ++q) s += Uo(q, a) * x2(q, b, c);
              dG(a, b, c) += s;
            });
      }
      if (want_out) {
        const auto dUo = grad.out;
        for2("pinnkit::models::tucker::d_out", exec, n_out, r1, KOKKOS_LAMBDA(int q, int a) {
              Real s = 0;
              for (int b = 0; b < b_end; ++b)
                for (int c = 0; c < r3; ++c) s += x2(q, b, c) * G(a, b, c);
              dUo(q, a) += s;
            });
      }
    }
    if (want_in) {
      ensure3(y1_, "pinnkit::models::Tucker::y1", r1, n_in, r3);
      const auto y1 = y1_;
      for3("pinnkit::models::tucker::y1", exec, r1, n_in, r3, KOKKOS_LAMBDA(int a, int p, int c) {
            Real s = 0;
            for (int q = 0; q < n_out; ++q) s += Uo(q, a) * x1(q, p, c);
            y1(a, p, c) = s;
          });
      const auto dUi = grad.in;
      for2("pinnkit::models::tucker::d_in", exec, n_in, r2, KOKKOS_LAMBDA(int p, int b) {
            Real s = 0;
            for (int a = 0; a < r1; ++a)
              for (int c = 0; c < c_end; ++c) s += y1(a, p, c) * G(a, b, c);
            dUi(p, b) += s;
          });
    }
  }
  if (want_basis) {
    ensure3(v1_, "pinnkit::models::Tucker::v1", r1, n_in, K);
    ensure3(v2_, "pinnkit::models::Tucker::v2", r1, r2, K);
    const auto v1 = v1_;
    const auto v2 = v2_;
    for3("pinnkit::models::tucker::v1", exec, r1, n_in, K, KOKKOS_LAMBDA(int a, int p, int j) {
          Real s = 0;
          for (int q = 0; q < n_out; ++q) s += Uo(q, a) * dA(q, p, j);
          v1(a, p, j) = s;
        });
    for3("pinnkit::models::tucker::v2", exec, r1, r2, K, KOKKOS_LAMBDA(int a, int b, int j) {
          Real s = 0;
          for (int p = 0; p < n_in; ++p) s += Ui(p, b) * v1(a, p, j);
          v2(a, b, j) = s;
        });
    const auto dUb = grad.basis;
    for2("pinnkit::models::tucker::d_basis", exec, K, r3, KOKKOS_LAMBDA(int j, int c) {
          Real s = 0;
          for (int a = 0; a < a_end; ++a)
            for (int b = 0; b < r2; ++b) s += v2(a, b, j) * G(a, b, c);
          dUb(j, c) += s;
        });
  }
}

}  // namespace pinnkit::models
