#include "models/activation.hpp"

#include "core/error.hpp"
#include "models/activation_jets.hpp"

namespace pinnkit::models {

ActivationKind activation_from_name(const std::string& name, const std::string& key) {
  if (name == "tanh") return ActivationKind::tanh;
  if (name == "sin") return ActivationKind::sin;
  if (name == "silu") return ActivationKind::silu;
  if (name == "gelu") return ActivationKind::gelu;
  if (name == "softplus") return ActivationKind::softplus;
  throw InputError(input_message(
      "", key, "expected one of tanh, sin, silu, gelu, softplus, got '" + name + "'"));
}

std::string activation_name(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::tanh: return "tanh";
    case ActivationKind::sin: return "sin";
    case ActivationKind::cos: return "cos";
    case ActivationKind::silu: return "silu";
    case ActivationKind::gelu: return "gelu";
    case ActivationKind::softplus: return "softplus";
  }
  return "?";
}

Activation::Activation(std::string name, int features, ActivationKind kind)
    : Layer(std::move(name), features, features), kind_(kind) {}

void Activation::do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) {
  saved_in_ = in;
  saved_out_ = out;
  dispatch_activation(kind_, [&](auto fn) {
    activation_jets_forward(exec, spec.layout(), fn, in, out);
  });
}

void Activation::do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                             Jets in_adj) {
  // No parameters: without an input adjoint there is nothing to do.
  if (in_adj.data() == nullptr) return;
  dispatch_activation(kind_, [&](auto fn) {
    activation_jets_backward(exec, spec.layout(), fn, saved_in_, saved_out_, out_adj, in_adj,
                             false);
  });
}

}  // namespace pinnkit::models
