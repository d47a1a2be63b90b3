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
/// Step: two forms of the same map, chosen per forward (`contraction`):
///  - coefficients: the forward expands T into the effective coefficient
///    workspace (staged contraction, tucker.hpp; n_out n_in K entries), the
///    plain KAN forward runs on A0 + T, and backward maps dL/dA of the
///    effective tensor (from the layer's dW gemm) onto the factors with the
///    staged adjoint contractions. Cost per pass independent of the rows.
///  - features: the plain KAN forward runs on A0 and the update's output is
///    added from the layer's derivative-weighted basis features through
///    KanLayer::add_feature_output (tucker_features.hpp), never forming T;
///    backward takes the factor gradients and the update's dL/dPhi from the
///    output adjoint in feature_output_adjoint, and the layer skips its dW
///    gemm when A0, base and scale are frozen. Cost per pass ~ rows x
///    (3 n_out r1 n_in + 3 n_in F r3 + 3 r1 n_in r3) less the skipped gemm.
///  - automatic (config `auto`, the default): the cheaper of the two by
///    lotra_features_pay() for this pass's rows. Measured (docs/transfer.md,
///    "Time per step"): the feature form wins below ~40 rows per pass for an
///    8-wide layer with ranks 4, ~100 / ~300 rows for a 32-wide one with
///    ranks 8 / 2; the sweep's 8-wide KAN runs 565-row passes, so auto keeps
///    the coefficient form there (the feature form would double the step).
/// merge() / unmerge() and export always use the expanded form (coef += T).
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_registry.hpp"
#include "models/kan_layer.hpp"
#include "models/tucker.hpp"
#include "models/tucker_features.hpp"

namespace pinnkit::adapters {

enum class LotraLrScaling { component, shared };
/// Which form of the step (see above): `auto` in a config is `automatic`.
enum class LotraContraction { coefficients, features, automatic };

struct LotraSettings {
  std::array<int, 3> ranks{4, 4, 4};  ///< already capped at (n_out, n_in, K)
  LotraLrScaling lr_scaling = LotraLrScaling::component;
  LotraContraction contraction = LotraContraction::automatic;
};

/// The automatic choice: true when the feature-level form is expected to be
/// faster for a pass over `rows` jet rows of a layer n_in -> n_out with K
/// bases (F feature columns per input) and ranks r, the layer's own
/// parameters frozen (otherwise it needs the dW gemm too, and never pays).
bool lotra_features_pay(int rows, int n_out, int n_in, int K, int F, const std::array<int, 3>& r,
                        bool base_frozen);

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
  /// Tests and benchmarks: overrides the configured form.
  void set_contraction(LotraContraction c) { settings_.contraction = c; }
  /// Whether the last forward used the feature-level form.
  bool used_feature_form() const { return features_now_; }

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
  void do_forward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in, models::Jets out) override;
  models::ParamView3 effective_coefficients(const ExecSpace& exec) override;
  models::ParamView3 coefficient_gradient(const ExecSpace& exec) override;
  void coefficient_gradient_ready(const ExecSpace& exec) override;
  void add_feature_output(const ExecSpace& exec, View2<const Real> phi, View2<Real> out) override;
  void feature_output_adjoint(const ExecSpace& exec, View2<const Real> out_adj, View2<const Real> phi,
                              View2<Real> phi_adj) override;

 private:
  models::TuckerViews factors() const;
  /// The factor gradients to accumulate (empty views for frozen factors).
  models::TuckerViews factor_grads() const;
  bool base_blocks_frozen() const;
  /// coef += sign * T
  void add_update_to_base(const ExecSpace& exec, Real sign);

  LotraSettings settings_;
  bool merged_ = false;
  models::TuckerFault fault_ = models::TuckerFault::none;
  bool features_now_ = false;  ///< the form of the last forward (its backward follows it)
  models::TuckerContraction tucker_;
  models::TuckerFeatureContraction feature_tucker_;
  View3<Real> coef_;       ///< A0 + T of the last forward
  View3<Real> coef_grad_;  ///< dL/dA of the last backward
};

/// Names accepted for AdapterSpec::lr_scaling.
const std::vector<std::string>& lotra_lr_scalings();
/// Names accepted for AdapterSpec::contraction: auto, coefficients, features.
const std::vector<std::string>& lotra_contractions();
/// The registry's lotra entry: plain KAN layers (not Slim KAN layers, which
/// have no dense tensor to adapt); ranks capped per layer at (n_out, n_in, K).
bool applies_to_lotra(const models::Layer& layer);
AttachedAdapter attach_lotra(const models::Layer& base, const AdapterSpec& spec, const std::string& file);

}  // namespace pinnkit::adapters
