#pragma once
/// \brief The derivative-weighted basis features of a KAN layer on jets, and
/// their adjoint: the elementwise half of KanLayer (the other half is a gemm).
///
/// For input feature p, point n and channel c, the feature row holds the
/// Taylor coefficient of B_j(x_p(s)) (j = 0..K-1) and, with the base branch,
/// of silu(x_p(s)) (column K), composed with the input jet by the univariate
/// Faa di Bruno recurrences (kan_taylor.hpp). Layout: phi is (N*C, n_in*F),
/// F = K (+1 with base), row n*C + c, column p*F + j; jets are (N, C, n_in).
/// Each input p has its own uniform grid [grid(p,0), grid(p,1)].
#include "core/jet_spec.hpp"
#include "core/kokkos.hpp"

namespace pinnkit::models {

/// The sizes the feature kernels need, copied into kernels by value.
struct KanFeatureShape {
  int inputs = 1;     ///< n_in
  int intervals = 5;  ///< G
  int degree = 3;     ///< k
  bool base = true;   ///< SiLU base column
  int basis_count() const { return intervals + degree; }
  int per_input() const { return basis_count() + (base ? 1 : 0); }
};

using GridView = Kokkos::View<const Real**, Kokkos::LayoutRight, MemSpace>;
using ConstJetView = View3<const Real>;

/// phi = features of `in` (every entry of phi is written).
void kan_features_forward(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<Real> phi);

/// in_adj = (d phi / d in)^T phi_adj: every entry of in_adj is overwritten.
/// Needs spline derivatives one order above the jet order (the z0 adjoint).
void kan_features_adjoint(const ExecSpace& exec, const JetSpec& spec, const KanFeatureShape& shape,
                          GridView grid, ConstJetView in, View2<const Real> phi_adj,
                          View3<Real> in_adj);

}  // namespace pinnkit::models
