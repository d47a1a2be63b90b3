#pragma once
/// \brief The feature-level form of a Tucker update on a KAN layer
/// (methods.md 6): the update's output computed from the layer's
/// derivative-weighted basis features, never forming T (n_out x n_in x K):
///   y[r,q] += sum_p s[q,p] sum_k T[q,p,k] Phi[r, p*F + k],
///   T = G x1 U_out x2 U_in x3 U_bas,
/// for every jet row r (point n, channel c: row n*C + c), so it holds at
/// every derivative order the features carry. s is the layer's per-edge
/// scale (all ones when the layer has none): LoTRA adds T to A before the
/// scale (adapters/lotra_kan.hpp).
///
/// The scale couples the output and input modes, so the sum over p cannot
/// run before U_out is applied per q (without s it could: the r2 x r3
/// projection Z^T U_in of the brief's staging). Stages, per forward:
///   M[a,p,c]   = sum_b G[a,b,c] U_in[p,b]            parameters only
///   S[q,(a,p)] = s[q,p] U_out[q,a]                    parameters only
///   Z[r,p,c]   = sum_k Phi[r,p,k] U_bas[k,c]          gemm (N*C n_in) x F x r3
///   V[r,(a,p)] = sum_c M[a,p,c] Z[r,p,c]              kernel
///   y         += V S^T                                gemm (N*C) x (r1 n_in) x n_out
/// and the adjoint from dy = dL/dy:
///   dV = dy S,  dS = dy^T V  -> dU_out[q,a] += sum_p s dS,  ds[q,p] += sum_a U_out dS,
///   dM[a,p,c] = sum_r dV Z   -> dG += sum_p dM U_in,  dU_in += sum_{a,c} dM G,
///   dZ[r,p,c] = sum_a dV M   -> dU_bas += Phi^T dZ,  dPhi += dZ U_bas^T.
/// Flops per jet row and pass: ~n_out r1 n_in (the S products) + n_in F r3
/// (the U_bas products) + r1 n_in r3; the coefficient form instead costs
/// ~n_out n_in K r1 per pass independent of the rows, plus the dW gemm the
/// layer runs anyway. Which is cheaper depends on the rows per pass
/// (adapters/lotra_kan.hpp, docs/transfer.md "Time per step").
#include "core/kokkos.hpp"
#include "models/tucker.hpp"

namespace pinnkit::models {

/// Workspaces of the feature-level contractions; rows-sized ones grow only
/// (no allocation per step once the largest batch has been seen).
class TuckerFeatureContraction {
 public:
  /// out (rows x n_out) += the update's output for the features phi
  /// (rows x n_in F; columns p*F + k, k < K = U_bas rows, are the basis
  /// features, columns K..F-1 of each input are ignored). `scale` (n_out,
  /// n_in) or empty for none. Keeps Z and V for backward().
  void forward(const ExecSpace& exec, const TuckerViews& f, const ParamView2& scale, View2<const Real> phi,
               int per_input, View2<Real> out);
  /// Adds dL/dG, dL/dU_out, dL/dU_in, dL/dU_bas (empty views skip a factor),
  /// dL/ds into scale_grad (empty: skip) and dL/dPhi into phi_adj (empty:
  /// skip) for out_adj = dL/dy of the last forward(), which must have run on
  /// the same phi and factors.
  void backward(const ExecSpace& exec, const TuckerViews& f, const ParamView2& scale, View2<const Real> phi,
                int per_input, View2<const Real> out_adj, const TuckerViews& grad, const ParamView2& scale_grad,
                View2<Real> phi_adj, TuckerFault fault = TuckerFault::none);

 private:
  View3<Real> m_, dm_;                   ///< (r1, n_in, r3)
  View2<Real> s_, ds_;                   ///< (n_out, r1 n_in)
  View2<Real> ubas_, dubas_;             ///< (F, r3): U_bas padded with zero rows K..F-1
  View1<Real> z_storage_, v_storage_, dz_storage_, dv_storage_;
  View2<Real> z_, v_, dz_, dv_;          ///< (rows n_in, r3), (rows, r1 n_in)
};

}  // namespace pinnkit::models
