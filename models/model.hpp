#pragma once
/// \brief A network: a stack of layers from points (N x in_dim) to output
/// jets (N, C, out_dim), and the reverse pass from output-jet adjoints to
/// parameter gradients in the ParamStore.
///
/// The model owns the jets between layers and two ping-pong adjoint buffers,
/// carved out of storage that only grows: alternating (N, JetSpec) pairs in
/// a step (interior, then boundary) allocate nothing after the first step.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/jet_spec.hpp"
#include "models/layer.hpp"

namespace pinnkit::models {

class Model {
 public:
  Model(int in_dim, int out_dim);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  int in_dim() const { return in_dim_; }
  int out_dim() const { return out_dim_; }

  /// Appends a layer whose in_features equals the current output width.
  Layer& add(std::unique_ptr<Layer> layer);
  /// Swaps layer i for `layer` (same in/out features; e.g. an adapter that
  /// wraps it) and returns the old one. Registration stays the caller's job.
  std::unique_ptr<Layer> replace_layer(int i, std::unique_ptr<Layer> layer);
  int layer_count() const { return static_cast<int>(layers_.size()); }
  Layer& layer(int i);
  const Layer& layer(int i) const;
  /// The largest Layer::row_width over the layers (in_dim without layers).
  int widest_layer() const;

  /// Registers the blocks of every layer not registered yet (store not finalized).
  void register_params(ParamStore& store);
  /// Initialises every layer's blocks (store finalized).
  void initialize_params(std::uint64_t seed);

  /// Output jets (N, C, out_dim) for points (N x in_dim, MemSpace) under
  /// `spec` (input_dim == in_dim). The returned view is the model's buffer:
  /// valid until the next forward().
  ConstJets forward(const ExecSpace& exec, const JetSpec& spec, View2<const Real> points);
  ConstJets forward(const JetSpec& spec, View2<const Real> points) {
    return forward(ExecSpace(), spec, points);
  }
  /// Adds dL/dparams to the store's gradient, given dL/d(output jets)
  /// (N, C, out_dim) of the last forward() (same spec).
  void backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj);
  void backward(const JetSpec& spec, ConstJets out_adj) { backward(ExecSpace(), spec, out_adj); }

  /// The jets entering layer i (i = layer_count(): the output) of the last forward.
  ConstJets jets(int i) const;

 private:
  void ensure_buffers(const JetSpec& spec, int n);

  int in_dim_;
  int out_dim_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<Jets> acts_;        ///< acts_[i]: input of layer i; acts_.back(): output
  std::vector<View1<Real>> act_storage_;  ///< backing memory of acts_ (grows only)
  View1<Real> adj_buffers_[2];    ///< ping-pong storage for adjoints between layers
  JetSpec buffer_spec_{1};
  int buffer_n_ = -1;
};

}  // namespace pinnkit::models
