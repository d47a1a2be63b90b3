#pragma once
/// \brief Tucker products of 3-way KAN coefficient tensors and their adjoint
/// (methods.md 6), shared by the LoTRA adapter and the Slim KAN layer:
///   T[q,p,j] = sum_{a,b,c} G[a,b,c] U_out[q,a] U_in[p,b] U_bas[j,c],
/// G (r1, r2, r3), U_out (n_out, r1), U_in (n_in, r2), U_bas (K, r3).
///
/// Both directions run as staged Kokkos contractions (one small kernel per
/// stage, never a 6-fold loop): forward M[a,p,c] = sum_b G U_in, then
/// T = sum_{a,c} U_out M U_bas; backward from dA = dL/dT:
///   X1[q,p,c] = sum_j dA U_bas,  X2[q,b,c] = sum_p X1 U_in,
///   dG += sum_q U_out X2,  dU_out += sum_{b,c} X2 G,
///   Y1[a,p,c] = sum_q U_out X1,  dU_in += sum_{a,c} Y1 G,
///   V2[a,b,j] = sum_{q,p} U_out U_in dA,  dU_bas += sum_{a,b} V2 G.
#include <array>
#include <string>

#include "core/kokkos.hpp"
#include "models/param_store.hpp"

namespace pinnkit::models {

/// The four factors of one Tucker tensor (views of ParamStore blocks).
struct TuckerViews {
  ParamView3 core;   ///< G (r1, r2, r3)
  ParamView2 out;    ///< U_out (n_out, r1)
  ParamView2 in;     ///< U_in (n_in, r2)
  ParamView2 basis;  ///< U_bas (K, r3)
};

/// A deliberate bug in one adjoint contraction (tests only: they must
/// catch each one). `none` in production. `features` (the dL/dPhi product)
/// exists in the feature-level form only (tucker_features.hpp).
enum class TuckerFault { none, core, out, in, basis, features };

/// Parameter count of a Tucker tensor: r1 r2 r3 + n_out r1 + n_in r2 + K r3.
inline long tucker_param_count(int n_out, int n_in, int K, const std::array<int, 3>& r) {
  return static_cast<long>(r[0]) * r[1] * r[2] + static_cast<long>(n_out) * r[0] +
         static_cast<long>(n_in) * r[1] + static_cast<long>(K) * r[2];
}

/// Workspaces of the staged contractions (grow only: no allocation per step
/// once the shapes are fixed).
class TuckerContraction {
 public:
  /// out (n_out, n_in, K) = beta * out + T(f).
  void expand(const ExecSpace& exec, const TuckerViews& f, Real beta, const View3<Real>& out);
  /// Adds dL/dG, dL/dU_out, dL/dU_in, dL/dU_bas for dA = dL/dT into `grad`
  /// (an empty view skips that factor).
  void backward(const ExecSpace& exec, const TuckerViews& f, const View3<const Real>& dA,
                const TuckerViews& grad, TuckerFault fault = TuckerFault::none);

 private:
  View3<Real> m_, n_, x1_, x2_, y1_, v1_, v2_;
};

/// `v` when it already has shape (a, b, c), else a fresh uninitialised view:
/// the expanded-tensor workspaces of Tucker layers and adapters, reused across steps.
inline View3<Real> ensure_view3(View3<Real> v, int a, int b, int c, const char* label) {
  if (v.data() != nullptr && static_cast<int>(v.extent(0)) == a && static_cast<int>(v.extent(1)) == b &&
      static_cast<int>(v.extent(2)) == c)
    return v;
  return View3<Real>(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), a, b, c);
}

/// A workspace seen as a parameter-shaped (unmanaged) view.
inline ParamView3 unmanaged_view3(const View3<Real>& v) {
  return ParamView3(v.data(), v.extent(0), v.extent(1), v.extent(2));
}

}  // namespace pinnkit::models
