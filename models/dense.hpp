#pragma once
/// \brief Dense layer on jets: y = W z on every channel, + b on channel 0 only
/// (the bias is constant along every direction, so its Taylor coefficients
/// vanish). Forward and both backward products are single gemms over the
/// N*C rows of the jet batch (methods.md 1).
///
/// Blocks: "<name>.weight" (out, in) and "<name>.bias" (out). An adapter
/// (LoRA) derives from Dense and overrides effective_weight() and
/// accumulate_weight_gradient(); weight_gradient() gives it dL/dW.
#include <cstdint>
#include <string>

#include "models/layer.hpp"

namespace pinnkit::models {

class Dense : public Layer {
 public:
  /// `init` names an entry of initializer_registry() (InputError otherwise).
  Dense(std::string name, int in_features, int out_features, std::string init = "xavier", bool bias = true);

  bool has_bias() const { return bias_; }
  const std::string& weight_init() const { return init_; }
  std::string weight_block() const { return block_name("weight"); }
  std::string bias_block() const { return block_name("bias"); }

  /// G = alpha * out_adj^T in over all N*C rows of the last forward's input
  /// (+ beta G): dL/dW of the effective weight when alpha = 1, beta = 0.
  /// G: (out_features, in_features), MemSpace.
  void weight_gradient(const ExecSpace& exec, ConstJets out_adj, Real alpha, Real beta,
                       const ParamView2& G) const;

 protected:
  void do_register_params(ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                   Jets in_adj) override;

  /// The weight the forward pass multiplies by, (out, in). Default: the
  /// weight block; LoRA returns W0 + (alpha/r) B A.
  virtual ParamView2 effective_weight(const ExecSpace& exec);
  /// Adds dL/dW to the parameter gradients. Default: into the weight block's
  /// gradient when it is trainable; LoRA maps it onto its factors instead.
  virtual void accumulate_weight_gradient(const ExecSpace& exec, ConstJets out_adj);

  /// The input of the last forward (the caller leaves it untouched until backward).
  ConstJets saved_input() const { return saved_in_; }

 private:
  std::string init_;
  bool bias_;
  ConstJets saved_in_;
  ParamView2 used_weight_;  ///< effective_weight() of the last forward
};

}  // namespace pinnkit::models
