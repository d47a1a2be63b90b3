#include "models/activation.hpp"

#include "core/error.hpp"
#include "models/activation_jets.hpp"
#include "models/registries.hpp"

namespace pinnkit::models {

std::string activation_name(ActivationKind kind) {
  for (const auto& e : activation_registry().entries())
    if (e.build == kind) return e.name;
  return kind == ActivationKind::cos ? "cos" : "?";
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
