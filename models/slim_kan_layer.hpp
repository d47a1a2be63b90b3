#pragma once
/// \brief A Slim KAN layer (methods.md 6): a KanLayer whose coefficient
/// tensor A (n_out, n_in, K) exists only in Tucker form,
///   A = G x1 U_out x2 U_in x3 U_bas,
/// trained from scratch; no dense coef block is stored or trained. Spline
/// coefficients cost r1 r2 r3 + n_out r1 + n_in r2 + K r3 parameters instead
/// of n_out n_in K. The SiLU base branch, the per-edge scale and the grid are
/// the plain KAN's blocks (scale multiplies the Tucker tensor like it
/// multiplies A).
///
/// Blocks (prefix = layer name): "<prefix>.tucker_core" (r1, r2, r3),
/// "<prefix>.tucker_out" (n_out, r1), "<prefix>.tucker_in" (n_in, r2),
/// "<prefix>.tucker_basis" (K, r3), all in group "default", plus base,
/// scale and grid. Each forward expands A into a workspace with the staged
/// contraction of tucker.hpp (n_out n_in K entries, small for PINN KANs) and
/// runs the plain KAN forward on it; backward maps dL/dA onto the four
/// factors (TuckerContraction::backward).
///
/// Init: U_out, U_in, U_bas ~ U(+-sqrt(3/n)) for n = n_out, n_in, K (unit
/// expected column norm), G ~ U(+-g) with g chosen so that entries of A have
/// the plain KAN's noise amplitude noise_scale / G (kan_layer_grid.cpp).
/// Grid updates (update_grid_from_samples) need the dense coef block and
/// are not supported on Slim KAN layers.
#include <array>
#include <cstdint>
#include <string>

#include "models/kan_layer.hpp"
#include "models/tucker.hpp"

namespace pinnkit::models {

/// Ranks capped at (n_out, n_in, K): a Tucker rank above its mode size adds
/// parameters but no expressiveness.
std::array<int, 3> cap_tucker_ranks(const std::array<int, 3>& ranks, int n_out, int n_in, int K);

class SlimKanLayer : public KanLayer {
 public:
  /// `ranks` are capped with cap_tucker_ranks; each must be >= 1.
  SlimKanLayer(std::string name, int in_features, int out_features, const KanOptions& options,
               const std::array<int, 3>& ranks);

  const std::array<int, 3>& ranks() const { return ranks_; }
  /// r1 r2 r3 + n_out r1 + n_in r2 + K r3 (the Tucker factors' entries).
  long coefficient_param_count() const {
    return tucker_param_count(out_features(), in_features(), basis_count(), ranks_);
  }
  /// n_out n_in K: what a plain KAN layer of this shape stores.
  long dense_coefficient_count() const {
    return static_cast<long>(out_features()) * in_features() * basis_count();
  }
  std::string core_block() const { return block_name("tucker_core"); }
  std::string out_block() const { return block_name("tucker_out"); }
  std::string in_block() const { return block_name("tucker_in"); }
  std::string basis_block() const { return block_name("tucker_basis"); }
  /// Tests only: plants a deliberate bug in one adjoint contraction.
  void set_tucker_fault(TuckerFault fault) { fault_ = fault; }

 protected:
  void do_register_params(ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  ParamView3 effective_coefficients(const ExecSpace& exec) override;
  ParamView3 coefficient_gradient(const ExecSpace& exec) override;
  void coefficient_gradient_ready(const ExecSpace& exec) override;

 private:
  std::array<int, 3> ranks_;
  TuckerContraction tucker_;
  TuckerFault fault_ = TuckerFault::none;
  View3<Real> coef_;       ///< the expanded A of the last forward
  View3<Real> coef_grad_;  ///< dL/dA of the last backward
};

}  // namespace pinnkit::models
