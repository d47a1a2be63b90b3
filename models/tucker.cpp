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

using Range3 = Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>>;
using Range2 = Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>;

// M[a,p,c] = sum_b G[a,b,c] U_in[p,b]
void stage_m(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& m) {
  const int r1 = static_cast<int>(f.core.extent(0)), r2 = static_cast<int>(f.core.extent(1)),
            r3 = static_cast<int>(f.core.extent(2)), n_in = static_cast<int>(f.in.extent(0));
  const auto G = f.core;
  const auto Ui = f.in;
  Kokkos::parallel_for(
      "pinnkit::models::tucker::expand_m", Range3(exec, {0, 0, 0}, {r1, n_in, r3}),
      KOKKOS_LAMBDA(int a, int p, int c) {
        Real s = 0;
        for (int b = 0; b < r2; ++b) s += G(a, b, c) * Ui(p, b);
        m(a, p, c) = s;
      });
}

// out[q,p,j] = beta out + sum_{a,c} U_out[q,a] M[a,p,c] U_bas[j,c]
void stage_t(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& m, Real beta,
             const View3<Real>& out) {
  const int r1 = static_cast<int>(f.core.extent(0)), r3 = static_cast<int>(f.core.extent(2));
  const int n_out = static_cast<int>(out.extent(0)), n_in = static_cast<int>(out.extent(1)),
            K = static_cast<int>(out.extent(2));
  const auto Uo = f.out;
  const auto Ub = f.basis;
  Kokkos::parallel_for(
      "pinnkit::models::tucker::expand_t", Range3(exec, {0, 0, 0}, {n_out, n_in, K}),
      KOKKOS_LAMBDA(int q, int p, int j) {
        Real s = 0;
        for (int a = 0; a < r1; ++a) {
          Real t = 0;
          for (int c = 0; c < r3; ++c) t += m(a, p, c) * Ub(j, c);
          s += Uo(q, a) * t;
        }
        out(q, p, j) = (beta == Real(0) ? Real(0) : beta * out(q, p, j)) + s;
      });
}

}  // namespace

void TuckerContraction::expand(const ExecSpace& exec, const TuckerViews& f, Real beta, const View3<Real>& out) {
  ensure3(m_, "pinnkit::models::Tucker::m", static_cast<int>(f.core.extent(0)), static_cast<int>(f.in.extent(0)),
          static_cast<int>(f.core.extent(2)));
  stage_m(exec, f, m_);
  stage_t(exec, f, m_, beta, out);
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
    Kokkos::parallel_for(
        "pinnkit::models::tucker::x1", Range3(exec, {0, 0, 0}, {n_out, n_in, r3}),
        KOKKOS_LAMBDA(int q, int p, int c) {
          Real s = 0;
          for (int j = 0; j < K; ++j) s += dA(q, p, j) * Ub(j, c);
          x1(q, p, c) = s;
        });
    if (want_core || want_out) {
      ensure3(x2_, "pinnkit::models::Tucker::x2", n_out, r2, r3);
      const auto x2 = x2_;
      Kokkos::parallel_for(
          "pinnkit::models::tucker::x2", Range3(exec, {0, 0, 0}, {n_out, r2, r3}),
          KOKKOS_LAMBDA(int q, int b, int c) {
            Real s = 0;
            for (int p = 0; p < n_in; ++p) s += x1(q, p, c) * Ui(p, b);
            x2(q, b, c) = s;
          });
      if (want_core) {
        const auto dG = grad.core;
        Kokkos::parallel_for(
            "pinnkit::models::tucker::d_core", Range3(exec, {0, 0, 0}, {r1, r2, r3}),
            KOKKOS_LAMBDA(int a, int b, int c) {
              Real s = 0;
              for (int q = 0; q < q_end; ++q) s += Uo(q, a) * x2(q, b, c);
              dG(a, b, c) += s;
            });
      }
      if (want_out) {
        const auto dUo = grad.out;
        Kokkos::parallel_for(
            "pinnkit::models::tucker::d_out", Range2(exec, {0, 0}, {n_out, r1}), KOKKOS_LAMBDA(int q, int a) {
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
      Kokkos::parallel_for(
          "pinnkit::models::tucker::y1", Range3(exec, {0, 0, 0}, {r1, n_in, r3}),
          KOKKOS_LAMBDA(int a, int p, int c) {
            Real s = 0;
            for (int q = 0; q < n_out; ++q) s += Uo(q, a) * x1(q, p, c);
            y1(a, p, c) = s;
          });
      const auto dUi = grad.in;
      Kokkos::parallel_for(
          "pinnkit::models::tucker::d_in", Range2(exec, {0, 0}, {n_in, r2}), KOKKOS_LAMBDA(int p, int b) {
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
    Kokkos::parallel_for(
        "pinnkit::models::tucker::v1", Range3(exec, {0, 0, 0}, {r1, n_in, K}), KOKKOS_LAMBDA(int a, int p, int j) {
          Real s = 0;
          for (int q = 0; q < n_out; ++q) s += Uo(q, a) * dA(q, p, j);
          v1(a, p, j) = s;
        });
    Kokkos::parallel_for(
        "pinnkit::models::tucker::v2", Range3(exec, {0, 0, 0}, {r1, r2, K}), KOKKOS_LAMBDA(int a, int b, int j) {
          Real s = 0;
          for (int p = 0; p < n_in; ++p) s += Ui(p, b) * v1(a, p, j);
          v2(a, b, j) = s;
        });
    const auto dUb = grad.basis;
    Kokkos::parallel_for(
        "pinnkit::models::tucker::d_basis", Range2(exec, {0, 0}, {K, r3}), KOKKOS_LAMBDA(int j, int c) {
          Real s = 0;
          for (int a = 0; a < a_end; ++a)
            for (int b = 0; b < r2; ++b) s += v2(a, b, j) * G(a, b, c);
          dUb(j, c) += s;
        });
  }
}

}  // namespace pinnkit::models
