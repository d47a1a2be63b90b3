// Feature-level Tucker contractions (tucker_features.hpp): the two products
// that scale with the jet rows and a mode of the layer (Z = Phi U_bas and
// y += V S^T, with their adjoints) are gemms; the rank-sized stages are one
// flat Kokkos kernel each, like tucker.cpp.
#include "models/tucker_features.hpp"

#include <string>

#include "core/error.hpp"
#include "core/gemm.hpp"

namespace pinnkit::models {

namespace {

void ensure2(View2<Real>& v, const char* label, int a, int b) {
  if (v.data() != nullptr && static_cast<int>(v.extent(0)) == a && static_cast<int>(v.extent(1)) == b) return;
  v = View2<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), a, b);
}

// A (rows x cols) workspace carved out of `storage`, which only grows: the
// interior and boundary chunks of a step share one allocation.
void ensure_rows(View1<Real>& storage, View2<Real>& v, const char* label, std::size_t rows, std::size_t cols) {
  if (v.data() != nullptr && v.extent(0) == rows && v.extent(1) == cols) return;
  if (storage.data() == nullptr || storage.extent(0) < rows * cols)
    storage = View1<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), rows * cols);
  v = View2<Real>(storage.data(), rows, cols);
}

template <class F>
void flat_for(const char* label, const ExecSpace& exec, int n, const F& f) {
  Kokkos::parallel_for(label, Kokkos::RangePolicy<ExecSpace>(exec, 0, n), f);
}

// The (rows n_in) x F view of the rows x (n_in F) features: input p of row r
// is row r n_in + p, so Phi U_bas is one gemm.
template <class T>
View2<T> per_input_rows(const View2<T>& phi, int per_input) {
  return View2<T>(phi.data(), phi.extent(0) * phi.extent(1) / per_input, per_input);
}

// M[a,p,c] = sum_b G[a,b,c] U_in[p,b]
void stage_m(const ExecSpace& exec, const TuckerViews& f, const View3<Real>& m) {
  const int r2 = static_cast<int>(f.core.extent(1)), r3 = static_cast<int>(f.core.extent(2));
  const int n_in = static_cast<int>(f.in.extent(0)), r1 = static_cast<int>(f.core.extent(0));
  const auto G = f.core;
  const auto Ui = f.in;
  flat_for("pinnkit::models::tucker_features::m", exec, r1 * n_in * r3, KOKKOS_LAMBDA(const int i) {
    const int c = i % r3, p = (i / r3) % n_in, a = i / (r3 * n_in);
    Real s = 0;
    for (int b = 0; b < r2; ++b) s += G(a, b, c) * Ui(p, b);
    m(a, p, c) = s;
  });
}

// S[q, a n_in + p] = s[q,p] U_out[q,a] (s = 1 without scale)
void stage_s(const ExecSpace& exec, const TuckerViews& f, const ParamView2& scale, const View2<Real>& S) {
  const int n_out = static_cast<int>(f.out.extent(0)), r1 = static_cast<int>(f.out.extent(1));
  const int n_in = static_cast<int>(f.in.extent(0));
  const bool has_scale = scale.data() != nullptr;
  const auto Uo = f.out;
  flat_for("pinnkit::models::tucker_features::s", exec, n_out * r1 * n_in, KOKKOS_LAMBDA(const int i) {
    const int p = i % n_in, a = (i / n_in) % r1, q = i / (n_in * r1);
    S(q, a * n_in + p) = (has_scale ? scale(q, p) : Real(1)) * Uo(q, a);
  });
}

// ubas[k,c] = U_bas[k,c] for k < K, 0 for the other columns of an input (base branch).
void stage_ubas(const ExecSpace& exec, const TuckerViews& f, const View2<Real>& ubas) {
  const int K = static_cast<int>(f.basis.extent(0)), r3 = static_cast<int>(f.basis.extent(1));
  const int F = static_cast<int>(ubas.extent(0));
  const auto Ub = f.basis;
  flat_for("pinnkit::models::tucker_features::ubas", exec, F * r3, KOKKOS_LAMBDA(const int i) {
    const int c = i % r3, k = i / r3;
    ubas(k, c) = k < K ? Ub(k, c) : Real(0);
  });
}

// V[r, a n_in + p] = sum_c M[a,p,c] Z[r n_in + p, c]: one work item per
// jet row, plain nested loops over the rank-sized dimensions (a flat index
// over (r, a, p) spent most of its time in the div / mod, perf on the 8-wide
// sweep layer).
void stage_v(const ExecSpace& exec, const View3<Real>& m, const View2<Real>& z, const View2<Real>& v) {
  const int r1 = static_cast<int>(m.extent(0)), n_in = static_cast<int>(m.extent(1)),
            r3 = static_cast<int>(m.extent(2));
  const int rows = static_cast<int>(v.extent(0));
  const Real* M = m.data();
  flat_for("pinnkit::models::tucker_features::v", exec, rows, KOKKOS_LAMBDA(const int r) {
    const Real* zr = &z(r * n_in, 0);
    Real* vr = &v(r, 0);
    for (int a = 0; a < r1; ++a)
      for (int p = 0; p < n_in; ++p) {
        const Real* mp = M + (a * n_in + p) * r3;
        const Real* zp = zr + p * r3;
        Real s = 0;
        for (int c = 0; c < r3; ++c) s += mp[c] * zp[c];
        vr[a * n_in + p] = s;
      }
  });
}

// dZ[r n_in + p, c] = sum_a dV[r, a n_in + p] M[a,p,c], one work item per row.
void stage_dz(const ExecSpace& exec, const View3<Real>& m, const View2<Real>& dv, const View2<Real>& dz) {
  const int r1 = static_cast<int>(m.extent(0)), n_in = static_cast<int>(m.extent(1)),
            r3 = static_cast<int>(m.extent(2));
  const int rows = static_cast<int>(dv.extent(0));
  const Real* M = m.data();
  flat_for("pinnkit::models::tucker_features::dz", exec, rows, KOKKOS_LAMBDA(const int r) {
    Real* dzr = &dz(r * n_in, 0);
    const Real* dvr = &dv(r, 0);
    for (int j = 0; j < n_in * r3; ++j) dzr[j] = 0;
    for (int a = 0; a < r1; ++a)
      for (int p = 0; p < n_in; ++p) {
        const Real d = dvr[a * n_in + p];
        const Real* mp = M + (a * n_in + p) * r3;
        Real* dzp = dzr + p * r3;
        for (int c = 0; c < r3; ++c) dzp[c] += d * mp[c];
      }
  });
}

}  // namespace

void TuckerFeatureContraction::forward(const ExecSpace& exec, const TuckerViews& f, const ParamView2& scale,
                                       View2<const Real> phi, int per_input, View2<Real> out) {
  const int r1 = static_cast<int>(f.core.extent(0)), r3 = static_cast<int>(f.core.extent(2));
  const int n_out = static_cast<int>(f.out.extent(0)), n_in = static_cast<int>(f.in.extent(0));
  const std::size_t rows = phi.extent(0);
  PINNKIT_CHECK(phi.extent(1) == static_cast<std::size_t>(n_in * per_input) && out.extent(0) == rows &&
                    static_cast<int>(out.extent(1)) == n_out && per_input >= static_cast<int>(f.basis.extent(0)),
                "TuckerFeatureContraction: shapes do not match the factors");
  m_ = ensure_view3(m_, r1, n_in, r3, "pinnkit::models::TuckerFeatures::m");
  ensure2(s_, "pinnkit::models::TuckerFeatures::s", n_out, r1 * n_in);
  ensure2(ubas_, "pinnkit::models::TuckerFeatures::ubas", per_input, r3);
  ensure_rows(z_storage_, z_, "pinnkit::models::TuckerFeatures::z", rows * n_in, r3);
  ensure_rows(v_storage_, v_, "pinnkit::models::TuckerFeatures::v", rows, r1 * n_in);
  stage_m(exec, f, m_);
  stage_s(exec, f, scale, s_);
  stage_ubas(exec, f, ubas_);
  gemm(exec, Trans::no, Trans::no, Real(1), per_input_rows(phi, per_input), ubas_, Real(0), z_);
  stage_v(exec, m_, z_, v_);
  gemm(exec, Trans::no, Trans::yes, Real(1), v_, s_, Real(1), out);
}

void TuckerFeatureContraction::backward(const ExecSpace& exec, const TuckerViews& f, const ParamView2& scale,
                                        View2<const Real> phi, int per_input, View2<const Real> out_adj,
                                        const TuckerViews& grad, const ParamView2& scale_grad, View2<Real> phi_adj,
                                        TuckerFault fault) {
  const int r1 = static_cast<int>(f.core.extent(0)), r2 = static_cast<int>(f.core.extent(1)),
            r3 = static_cast<int>(f.core.extent(2));
  const int n_out = static_cast<int>(f.out.extent(0)), n_in = static_cast<int>(f.in.extent(0));
  const int K = static_cast<int>(f.basis.extent(0));
  const int rows = static_cast<int>(phi.extent(0));
  PINNKIT_CHECK(v_.data() != nullptr && static_cast<int>(v_.extent(0)) == rows && out_adj.extent(0) == phi.extent(0),
                "TuckerFeatureContraction: backward does not match the last forward");
  const bool want_core = grad.core.data() != nullptr, want_out = grad.out.data() != nullptr;
  const bool want_in = grad.in.data() != nullptr, want_basis = grad.basis.data() != nullptr;
  const bool want_scale = scale_grad.data() != nullptr, want_phi = phi_adj.data() != nullptr;
  const bool has_scale = scale.data() != nullptr;
  if (!(want_core || want_out || want_in || want_basis || want_scale || want_phi)) return;
  const auto G = f.core;
  const auto Uo = f.out;
  const auto Ui = f.in;
  const auto Ub = f.basis;
  // Loop ends of the final contractions; a fault drops the last term of one.
  const int p_end_core = fault == TuckerFault::core ? n_in - 1 : n_in;
  const int p_end_out = fault == TuckerFault::out ? n_in - 1 : n_in;
  const int c_end_in = fault == TuckerFault::in ? r3 - 1 : r3;
  const int k_end_basis = fault == TuckerFault::basis ? K - 1 : K;

  // dV = dy S (every remaining adjoint needs it, dU_out and ds aside).
  ensure_rows(dv_storage_, dv_, "pinnkit::models::TuckerFeatures::dv", rows, r1 * n_in);
  gemm(exec, Trans::no, Trans::no, Real(1), out_adj, s_, Real(0), dv_);
  const auto dv = dv_;
  const auto z = z_;

  if (want_out || want_scale) {
    ensure2(ds_, "pinnkit::models::TuckerFeatures::ds", n_out, r1 * n_in);
    gemm(exec, Trans::yes, Trans::no, Real(1), out_adj, v_, Real(0), ds_);
    const auto dS = ds_;
    if (want_out) {
      const auto dUo = grad.out;
      flat_for("pinnkit::models::tucker_features::d_out", exec, n_out * r1, KOKKOS_LAMBDA(const int i) {
        const int a = i % r1, q = i / r1;
        Real s = 0;
        for (int p = 0; p < p_end_out; ++p) s += (has_scale ? scale(q, p) : Real(1)) * dS(q, a * n_in + p);
        dUo(q, a) += s;
      });
    }
    if (want_scale) {
      flat_for("pinnkit::models::tucker_features::d_scale", exec, n_out * n_in, KOKKOS_LAMBDA(const int i) {
        const int p = i % n_in, q = i / n_in;
        Real s = 0;
        for (int a = 0; a < r1; ++a) s += Uo(q, a) * dS(q, a * n_in + p);
        scale_grad(q, p) += s;
      });
    }
  }

  if (want_core || want_in) {
    // dM[a,p,c] = sum_r dV[r, a n_in + p] Z[r n_in + p, c]: a reduction over
    // the rows per entry (r1 n_in r3 of them).
    dm_ = ensure_view3(dm_, r1, n_in, r3, "pinnkit::models::TuckerFeatures::dm");
    const auto dm = dm_;
    flat_for("pinnkit::models::tucker_features::dm", exec, r1 * n_in, KOKKOS_LAMBDA(const int i) {
      const int p = i % n_in, a = i / n_in;
      Real* dmap = &dm(a, p, 0);
      for (int c = 0; c < r3; ++c) dmap[c] = 0;
      for (int r = 0; r < rows; ++r) {
        const Real d = dv(r, a * n_in + p);
        const Real* zrp = &z(r * n_in + p, 0);
        for (int c = 0; c < r3; ++c) dmap[c] += d * zrp[c];
      }
    });
    if (want_core) {
      const auto dG = grad.core;
      flat_for("pinnkit::models::tucker_features::d_core", exec, r1 * r2 * r3, KOKKOS_LAMBDA(const int i) {
        const int c = i % r3, b = (i / r3) % r2, a = i / (r3 * r2);
        Real s = 0;
        for (int p = 0; p < p_end_core; ++p) s += dm(a, p, c) * Ui(p, b);
        dG(a, b, c) += s;
      });
    }
    if (want_in) {
      const auto dUi = grad.in;
      flat_for("pinnkit::models::tucker_features::d_in", exec, n_in * r2, KOKKOS_LAMBDA(const int i) {
        const int b = i % r2, p = i / r2;
        Real s = 0;
        for (int a = 0; a < r1; ++a)
          for (int c = 0; c < c_end_in; ++c) s += dm(a, p, c) * G(a, b, c);
        dUi(p, b) += s;
      });
    }
  }

  if (want_basis || want_phi) {
    // dZ[r n_in + p, c] = sum_a dV[r, a n_in + p] M[a,p,c]
    ensure_rows(dz_storage_, dz_, "pinnkit::models::TuckerFeatures::dz", static_cast<std::size_t>(rows) * n_in, r3);
    stage_dz(exec, m_, dv_, dz_);
    if (want_basis) {
      ensure2(dubas_, "pinnkit::models::TuckerFeatures::dubas", per_input, r3);
      gemm(exec, Trans::yes, Trans::no, Real(1), per_input_rows(phi, per_input), dz_, Real(0), dubas_);
      const auto dubas = dubas_;
      const auto dUb = grad.basis;
      flat_for("pinnkit::models::tucker_features::d_basis", exec, K * r3, KOKKOS_LAMBDA(const int i) {
        const int c = i % r3, k = i / r3;
        if (k < k_end_basis) dUb(k, c) += dubas(k, c);
      });
    }
    if (want_phi) {
      // dPhi += dZ U_bas^T (zero on the base columns: ubas_ is zero there).
      // The `features` fault leaves out the last input of the last row.
      const std::size_t dz_rows = dz_.extent(0) - (fault == TuckerFault::features ? 1 : 0);
      const View2<Real> dz_used(dz_.data(), dz_rows, r3);
      const View2<Real> phi_adj_rows(phi_adj.data(), dz_rows, per_input);
      gemm(exec, Trans::no, Trans::yes, Real(1), dz_used, ubas_, Real(1), phi_adj_rows);
    }
  }
}

}  // namespace pinnkit::models
