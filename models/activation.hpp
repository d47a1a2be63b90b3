#pragma once
/// \brief Elementwise activation layer on jets (tanh, sin, silu, gelu,
/// softplus): Faa di Bruno recurrences forward, their adjoint backward
/// (activation_jets.hpp). No parameters; keeps handles to its input and
/// output (the caller leaves both untouched until backward).
#include <string>

#include "models/activation_functions.hpp"
#include "models/layer.hpp"

namespace pinnkit::models {

/// The registry name of `kind` (activation_registry()); "cos", which only
/// Fourier features use, is not a config choice.
std::string activation_name(ActivationKind kind);

class Activation : public Layer {
 public:
  Activation(std::string name, int features, ActivationKind kind);
  ActivationKind kind() const { return kind_; }

 protected:
  void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                   Jets in_adj) override;

 private:
  ActivationKind kind_;
  ConstJets saved_in_;
  ConstJets saved_out_;  ///< tanh's derivatives come from its value
};

}  // namespace pinnkit::models
