#pragma once
/// \brief LoRA on a dense layer (methods.md 3): W = W0 + (alpha/r) B A with
/// W0 (and the bias) frozen, B: out x r, A: r x in.
///
/// Blocks: adopts "<name>.weight"/"<name>.bias" of the Dense it replaces
/// (registering them only when the store lacks them) and adds
/// "<name>.lora_A" (group "lora_A") and "<name>.lora_B" (group "lora_B").
/// Gradients, with G = dL/dW and s = alpha/r: dL/dB = s G A^T, dL/dA = s B^T G.
/// G is formed (one gemm over the N*C jet rows, Dense::weight_gradient) only
/// when r (in + out) >= in * out; otherwise the factored products
/// dL/dA = s (adj B)^T z and dL/dB = s adj^T (z A^T) skip it.
/// Spectral init (LoRA-One): capture G of one full backward, then
/// B0 = -U_r sqrt(S_r / s_1), A0 = sqrt(S_r / s_1) V_r^T and W0 -= s B0 A0,
/// so the network is unchanged at step 0 and B0^T B0 = A0 A0^T is invertible.
/// Balanced random init (for ODELoRA, which needs invertible P and Q):
/// B0 = sigma U, A0 = sigma V^T with U (out x r), V (in x r) orthonormal
/// (QR of Gaussian matrices), sigma = 0.1, and W0 -= s B0 A0, so again the
/// network is unchanged and B0^T B0 = A0 A0^T = sigma^2 I. Drawn in
/// init_from_gradient (after init_from's weights are loaded), from the seed of
/// the last initialize_params.
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_registry.hpp"
#include "models/dense.hpp"

namespace pinnkit::adapters {

enum class LoraInit { standard, spectral, balanced_random };
/// How dL/dB and dL/dA are computed (automatic picks the cheaper; tests pin one).
enum class LoraGradientPath { automatic, full, factored };

struct LoraSettings {
  int rank = 4;
  double alpha = 0.0;  ///< 0: alpha = rank
  LoraInit init = LoraInit::standard;
  LoraGradientPath gradient_path = LoraGradientPath::automatic;
};

class LoraDense : public models::Dense, public Adapter {
 public:
  /// A LoRA layer of the given shape; rank must lie in [1, min(in, out)].
  LoraDense(std::string name, int in_features, int out_features, const std::string& init,
            bool bias, const LoraSettings& settings);
  /// The same, with the name, shape, init and bias of `base` (which it replaces).
  static std::unique_ptr<LoraDense> wrapping(const models::Dense& base, const LoraSettings& settings);

  int rank() const { return settings_.rank; }
  double alpha() const { return settings_.alpha > 0 ? settings_.alpha : settings_.rank; }
  /// alpha / r
  double scale() const { return alpha() / settings_.rank; }
  std::string a_block() const { return block_name("lora_A"); }
  std::string b_block() const { return block_name("lora_B"); }
  const LoraSettings& settings() const { return settings_; }

  // Adapter
  const std::string& adapted_layer() const override { return name(); }
  std::vector<std::string> owned_blocks() const override { return {a_block(), b_block()}; }
  AdapterStructure structure() const override { return {{{b_block(), a_block(), scale()}}, {}, {}}; }
  /// spectral and balanced_random (which ignores the gradient but must run
  /// after init_from's base weights are loaded) initialise here.
  bool wants_gradient_init() const override { return settings_.init != LoraInit::standard; }
  /// While on, every backward also keeps G = dL/dW of the effective weight
  /// (overwritten, not accumulated) for init_from_gradient().
  void capture_gradient(bool on) override { capture_ = on; }
  /// Spectral init from the captured G (see above); throws InternalError without one.
  void init_from_gradient(const ExecSpace& exec) override;
  void merge(const ExecSpace& exec) override;
  void unmerge(const ExecSpace& exec) override;
  AdapterState state() const override;

 protected:
  void do_register_params(models::ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  models::ParamView2 effective_weight(const ExecSpace& exec) override;
  void accumulate_weight_gradient(const ExecSpace& exec, models::ConstJets out_adj) override;

 private:
  bool factored_gradient() const;
  void balanced_random_init(const ExecSpace& exec, std::uint64_t seed);
  /// W0 += sign * s B A
  void add_update_to_base(const ExecSpace& exec, Real sign);

  LoraSettings settings_;
  bool merged_ = false;
  bool capture_ = false;
  std::uint64_t seed_ = 0;  ///< of the last do_initialize_params, for balanced_random
  bool captured_ = false;
  View2<Real> weight_;    ///< W0 + s B A of the last forward
  View2<Real> gradient_;  ///< G when formed or captured
  View2<Real> skinny_;    ///< N*C x r workspace of the factored path
};

/// Names accepted for AdapterSpec::init by lora.
const std::vector<std::string>& lora_inits();
/// The registry's lora entry: dense layers; rank capped at min(in, out) with
/// alpha / r kept at the config's value.
bool applies_to_lora(const models::Layer& layer);
AttachedAdapter attach_lora(const models::Layer& base, const AdapterSpec& spec, const std::string& file);

}  // namespace pinnkit::adapters
