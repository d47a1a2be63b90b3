#pragma once
/// \brief A Kolmogorov-Arnold layer on Taylor jets (methods.md 2):
///   y_q = sum_p [ w_b[q,p] silu(x_p) + w_s[q,p] sum_k A[q,p,k] B_k(x_p) ],
/// B-splines of degree k on a uniform grid of G intervals per input,
/// A (n_out, n_in, K = G + k) in the efficient-kan layout, optional SiLU base
/// branch w_b and per-edge scale w_s.
///
/// Forward = the derivative-weighted basis features of every input jet
/// (kan_features.hpp) times the effective weights in ONE dense gemm:
///   out (N*C x n_out) = Phi (N*C x n_in*F) * W^T,  W[q, p*F + j] = w_s A | w_b.
/// Dense rather than local-support: only k+2 of the K+1 columns per input are
/// nonzero, so a local contraction would do ~(k+2)/(K+1) of the flops, but as
/// a gather kernel of our own; the dense form is a tuned gemm on every
/// backend and makes the backward pass two gemms as well (dW = out_adj^T Phi,
/// Phi_adj = out_adj W), like a dense layer. Measured (issue 6, 1 thread,
/// 4096 points x 5 channels, 32 -> 32, G = 10, cubic): forming Phi_adj only
/// on the span columns inside the feature-adjoint kernel (a scalar gather
/// over n_out) took 98 ms against 37 ms for the dense gemm plus the feature
/// adjoint, so the dense form stays. The feature kernels themselves only
/// evaluate the k+1 span bases, a block of inputs at a time so that the
/// spline arithmetic vectorises (bspline.hpp eval_span_basis_block).
///
/// Subclasses (adapters, Slim KAN) act through protected hooks: the
/// coefficient tensor the gemm uses and where dL/dA goes (LoRA-KAN, LoTRA's
/// coefficient form, Slim KAN), or an output added from Phi after the gemm
/// and its adjoint (LoTRA's feature form, which never forms a tensor). The
/// dW gemm of backward runs only when some gradient needs it.
///
/// Blocks (prefix = layer name): "<prefix>.coef" (n_out, n_in, K),
/// "<prefix>.base" (n_out, n_in) with the base branch, "<prefix>.scale"
/// (n_out, n_in) with the per-edge scale, and "<prefix>.grid" (n_in, 2), the
/// [lo, hi] of each input's grid: not trainable (group "kan_grid"), stored
/// with the parameters so checkpoints keep updated grids. It must stay frozen.
///
/// Derivative orders at or above the degree are the piecewise (almost
/// everywhere) derivatives: a cubic KAN's jets carry a piecewise-constant
/// u_xxx and u_xxxx = 0, without the jumps and deltas at knots. Use
/// degree >= order + 1 when a PDE needs order-`order` derivatives.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/bspline.hpp"
#include "models/kan_features.hpp"
#include "models/layer.hpp"
#include "models/model_spec.hpp"

namespace pinnkit::models {

struct KanOptions {
  int grid = 5;             ///< G intervals per input grid
  int degree = 3;           ///< spline degree k, 1..5
  double grid_lo = -1.0;    ///< initial grid [grid_lo, grid_hi] of every input
  double grid_hi = 1.0;
  bool base = true;         ///< SiLU base branch w_b
  bool scale = true;        ///< per-edge scale w_s of the spline branch
  double noise_scale = 0.1; ///< init: coefficients fit noise U(-1/2, 1/2) * noise_scale / G
  /// Grid update: the new grid of input p is the sample range of x_p widened
  /// by grid_margin * (max - min) on each side.
  double grid_margin = 0.0;
};

/// KanOptions of a `type: kan` ModelSpec (grid, degree, grid_range, base; scale on).
KanOptions kan_options_from(const ModelSpec& spec);

class KanLayer : public Layer {
 public:
  /// Throws InputError on a degree outside 1..5, grid < 1 or grid_lo >= grid_hi.
  KanLayer(std::string name, int in_features, int out_features, const KanOptions& options);

  const KanOptions& options() const { return opt_; }
  /// K = G + k basis functions per input.
  int basis_count() const { return shape_.basis_count(); }
  /// The basis features Phi: n_in x (columns per input) per row.
  int row_width() const override { return in_features() * shape_.per_input(); }
  std::string coef_block() const { return block_name("coef"); }
  /// Columns per input of the basis features Phi (K + 1 with the base branch).
  int features_per_input() const { return shape_.per_input(); }
  /// The current grid of input p (host copy from the store).
  SplineGrid grid(int p) const;

  /// Grid update from samples of this layer's inputs (M x n_in, MemSpace):
  /// each input's grid becomes its sample range [min, max] (widened by
  /// grid_margin), then A is refit by least squares so that every spline
  /// phi_qp keeps its values at the samples (exactly so where phi_qp is a
  /// spline of the new grid there). An input whose samples are all equal
  /// keeps its grid. pykan mixes sample quantiles with a uniform grid
  /// (grid_eps); on our uniform grids both have the same end points, so the
  /// mix is the sample range.
  void update_grid_from_samples(View2<const Real> samples);
  /// The same from the values (channel 0) of jets (M, C, n_in) entering this
  /// layer, e.g. Model::jets(i) after a value-only forward on the samples.
  void update_grid_from_samples(ConstJets jets);

 protected:
  void do_register_params(ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                   Jets in_adj) override;

  /// The blocks other than the coefficient tensor: base, scale, grid
  /// (registered / initialised as a plain KAN does; Slim KAN layers keep
  /// these and replace the coef block by Tucker factors).
  void register_edge_blocks(ParamStore& store);
  void initialize_edge_blocks(std::uint64_t seed);

  // Hooks for adapters (adapters/adapter.hpp), which derive from KanLayer.
  /// The coefficient tensor A (n_out, n_in, K) the forward pass uses.
  /// Default: the coef block; an adapter returns A0 + its update.
  virtual ParamView3 effective_coefficients(const ExecSpace& exec);
  /// Where backward ADDS dL/dA of the effective tensor (n_out, n_in, K); an
  /// empty view skips it. Default: the coef block's gradient, empty when the
  /// block is frozen. When it is empty and base and scale are frozen too,
  /// backward skips the dW gemm (N*C x n_out x n_in F), which only those
  /// gradients need: a feature-level adapter on a frozen layer gets its
  /// gradients from feature_output_adjoint alone.
  virtual ParamView3 coefficient_gradient(const ExecSpace& exec);
  /// Called once backward has added dL/dA into coefficient_gradient(): an
  /// adapter maps it onto its own factors there. Default: nothing.
  virtual void coefficient_gradient_ready(const ExecSpace& /*exec*/) {}
  /// Feature-level adapters (LoTRA's feature form, tucker_features.hpp):
  /// called after the layer's gemm with this forward's derivative-weighted
  /// basis features phi ((N*C) x (n_in * features_per_input())) and output
  /// rows out ((N*C) x n_out), to which the adapter ADDS its output. Linear
  /// in phi per row, so it holds at every jet order. Default: nothing.
  virtual void add_feature_output(const ExecSpace& /*exec*/, View2<const Real> /*phi*/, View2<Real> /*out*/) {}
  /// Its adjoint, called in backward with out_adj = dL/dy ((N*C) x n_out):
  /// the adapter accumulates its own gradients and ADDS dL/dphi into phi_adj,
  /// which already holds the layer's own part and goes on into the input
  /// adjoint (an empty view when the layer's input needs no adjoint).
  virtual void feature_output_adjoint(const ExecSpace& /*exec*/, View2<const Real> /*out_adj*/,
                                      View2<const Real> /*phi*/, View2<Real> /*phi_adj*/) {}

 private:
  void build_effective_weights(const ExecSpace& exec);
  void accumulate_param_grads(const ExecSpace& exec, const ParamView3& coef_grad);
  GridView grid_view() const;
  /// Grid update on host samples x[m * n_in + p], m < M.
  void update_grid_host(const std::vector<double>& x, int M);

  KanOptions opt_;
  KanFeatureShape shape_;
  View2<Real> weights_;       ///< W (n_out, n_in*F), rebuilt every forward
  View2<Real> weights_grad_;  ///< dL/dW of the last backward
  View2<Real> features_;      ///< Phi of the last forward, (N*C, n_in*F)
  View2<Real> features_adj_;  ///< dL/dPhi, (N*C, n_in*F)
  /// Backing memory of the four views above (grows only: no allocation in a step).
  View1<Real> weights_storage_, weights_grad_storage_, features_storage_, features_adj_storage_;
  ConstJets saved_in_;        ///< the last forward's input (left untouched by the caller)
  ParamView3 used_coefficients_;  ///< effective_coefficients() of the last forward
};

/// Builds a KAN layer named `prefix` and registers its blocks in `store`
/// (not finalized yet). After store.finalize(), call initialize_params(seed).
std::unique_ptr<Layer> make_kan_layer(int in_features, int out_features,
                                      const KanOptions& options, ParamStore& store,
                                      const std::string& prefix);

}  // namespace pinnkit::models
