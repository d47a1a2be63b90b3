#pragma once
/// \brief Hard constraints as an output transform: the last layer of a model
/// maps the network output N to u = g(x) + d(x) N per constrained output
/// (models::HardConstraintSpec), so a Dirichlet condition g on {d = 0} holds
/// exactly and needs no loss term.
///
/// g and d are expressions over the problem's inputs and parameters. Along
/// every jet direction they are evaluated as truncated Taylor series
/// (pde/expr_taylor.hpp) of x(s) = x + s v read from the model's input jets,
/// and u's coefficients are the truncated Cauchy products
///   u_k = g_k + sum_{j=0..k} d_j N_{k-j};
/// the adjoint of N is the correlated product Nbar_j = sum_{k>=j} ubar_k d_{k-j}
/// (channel 0 gathers the j = 0 terms of every direction). No parameters.
/// Lives in solvers/ because it needs both models/ (Layer) and pde/ (Expr).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/layer.hpp"
#include "models/model.hpp"
#include "models/model_spec.hpp"
#include "pde/expr_program.hpp"

namespace pinnkit::solvers {

/// One constrained output with its compiled g and d (host programs).
struct CompiledConstraint {
  int output = 0;
  pde::ExprProgram value;
  pde::ExprProgram distance;
};

/// Compiles `specs` over the inputs and parameters. Entry i without an
/// `output` constrains output i. Throws InputError "<source>:
/// model.hard_constraint[i].<key>: expected ..., got ..." for an unknown
/// output, an output constrained twice, a missing distance, or any error of
/// the expressions (an unknown symbol included).
std::vector<CompiledConstraint> compile_hard_constraints(
    const std::vector<models::HardConstraintSpec>& specs, const std::vector<std::string>& inputs,
    const std::vector<std::string>& outputs, const std::map<std::string, double>& parameters,
    const std::string& source);

/// The transform layer: in_features = out_features = the model's outputs.
class OutputConstraint : public models::Layer {
 public:
  /// `model_input` returns the model's input jets (N, C, in_dim) of the
  /// forward pass in progress (Model::jets(0)).
  OutputConstraint(int outputs, std::vector<CompiledConstraint> constraints,
                   std::function<models::ConstJets()> model_input);

  /// Public for CUDA (device lambdas cannot live in protected members).
  void forward_kernels(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in, models::Jets out);
  void backward_kernels(const ExecSpace& exec, const JetSpec& spec, models::ConstJets out_adj,
                        models::Jets in_adj);

 protected:
  void do_forward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in, models::Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets out_adj,
                   models::Jets in_adj) override;

 private:
  struct Device {
    int output;
    pde::ExprDeviceProgram value, distance;
  };
  std::vector<Device> constraints_;
  std::function<models::ConstJets()> model_input_;
  /// d's jets of the last forward, (N, C, constraints): the backward pass
  /// needs them. Carved from storage that only grows, so that alternating
  /// point sets (interior, boundary) allocate nothing after the first step.
  models::Jets distance_jets_;
  View1<Real> distance_storage_;
};

/// Appends an OutputConstraint for `constraints` to `model` (nothing when
/// empty). The layer reads the model's input jets, so `model` must outlive it
/// (it does: the model owns it).
void append_output_constraint(models::Model& model, std::vector<CompiledConstraint> constraints);

}  // namespace pinnkit::solvers
