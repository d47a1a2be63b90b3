#pragma once
/// \brief LoTRA on a KAN layer (methods.md 6): the coefficient tensor
///   A = A0 + G x1 U_out x2 U_in x3 U_bas
/// with A0 (and the layer's base and scale blocks) frozen, core G
/// (r1, r2, r3) = 0 at init and random factors, so the network is unchanged
/// at step 0. The update is added to A BEFORE the per-edge scale: the
/// spline weight of edge (q, p) is w_s[q,p] (A0 + T)[q,p,:], exactly what
/// merge() folds into the coef block.
///
/// Blocks: adopts the KanLayer's "<name>.coef/.base/.scale/.grid" (freezing
/// coef, base and scale) and adds "<name>.lotra_core" (group "lotra_core"),
/// "<name>.lotra_out" ("lotra_out"), "<name>.lotra_in" ("lotra_in") and
/// "<name>.lotra_basis" ("lotra_basis").
/// Learning rates: lr_scaling component gives the lotra_in block the
/// ParamBlock::lr_factor 1 / n_in of its layer (eta / n_in for U_in, eta for
/// the rest); shared leaves every factor at 1. Both compose with
/// training[].group_lr (adam, adamw); other optimizers ignore the factors.
///
/// Step: each forward expands T into the effective coefficient workspace
/// (staged contraction, tucker.hpp; n_out n_in K entries) and the plain KAN
/// forward runs on A0 + T; backward maps dL/dA of the effective tensor onto
/// the factors with the staged adjoint contractions. This is the
/// coefficient-hook form; the feature-level contraction of methods.md 6 is
/// not implemented (docs/transfer.md says why).
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_registry.hpp"
#include "models/kan_layer.hpp"
#include "models/tucker.hpp"

namespace pinnkit::adapters {

enum class LotraLrScaling { component, shared };

struct LotraSettings {
  std::array<int, 3> ranks{4, 4, 4};  ///< already capped at (n_out, n_in, K)
  LotraLrScaling lr_scaling = LotraLrScaling::component;
};

class LotraKan : public models::KanLayer, public Adapter {
 public:
  /// Ranks must lie in [1, (n_out, n_in, K)].
  LotraKan(std::string name, int in_features, int out_features, const models::KanOptions& options,
           const LotraSettings& settings);
  static std::unique_ptr<LotraKan> wrapping(const models::KanLayer& base, const LotraSettings& settings);

  const LotraSettings& settings() const { return settings_; }
  std::string core_block() const { return block_name("lotra_core"); }
  std::string out_block() const { return block_name("lotra_out"); }
  std::string in_block() const { return block_name("lotra_in"); }
  std::string basis_block() const { return block_name("lotra_basis"); }
  /// Tests only: plants a deliberate bug in one adjoint contraction.
  void set_tucker_fault(models::TuckerFault fault) { fault_ = fault; }

  // Adapter
  const std::string& adapted_layer() const override { return name(); }
  std::vector<std::string> owned_blocks() const override {
    return {core_block(), out_block(), in_block(), basis_block()};
  }
  AdapterStructure structure() const override {
    return {{}, {{core_block(), out_block(), in_block(), basis_block()}}, {}};
  }
  void merge(const ExecSpace& exec) override;
  void unmerge(const ExecSpace& exec) override;
  AdapterState state() const override;

 protected:
  void do_register_params(models::ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  models::ParamView3 effective_coefficients(const ExecSpace& exec) override;
  models::ParamView3 coefficient_gradient(const ExecSpace& exec) override;
  void coefficient_gradient_ready(const ExecSpace& exec) override;

 private:
  models::TuckerViews factors() const;
  /// coef += sign * T
  void add_update_to_base(const ExecSpace& exec, Real sign);

  LotraSettings settings_;
  bool merged_ = false;
  models::TuckerFault fault_ = models::TuckerFault::none;
  models::TuckerContraction tucker_;
  View3<Real> coef_;       ///< A0 + T of the last forward
  View3<Real> coef_grad_;  ///< dL/dA of the last backward
};

/// Names accepted for AdapterSpec::lr_scaling.
const std::vector<std::string>& lotra_lr_scalings();
/// The registry's lotra entry: plain KAN layers (not Slim KAN layers, which
/// have no dense tensor to adapt); ranks capped per layer at (n_out, n_in, K).
bool applies_to_lotra(const models::Layer& layer);
AttachedAdapter attach_lotra(const models::Layer& base, const AdapterSpec& spec, const std::string& file);

}  // namespace pinnkit::adapters
