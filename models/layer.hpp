#pragma once
/// \brief The interface every network layer implements: a forward pass on
/// Taylor jets and its hand-written adjoint (docs/design.md, "The central idea").
///
/// Jets are (N, C, F) LayoutRight MemSpace views, C = spec.channels(). The
/// public functions are non-virtual: they check shapes, then call the
/// protected do_* implementation. Lifecycle:
///   register_params(store)  (before store.finalize(): add the layer's blocks)
///   initialize_params(seed) (after finalize: fill them deterministically)
///   forward(...) then backward(...), any number of times.
/// forward() keeps what backward() needs (e.g. a handle to its input view,
/// which the caller must leave untouched until backward) in the layer's own
/// workspace, reused across steps: no allocation on a step once N and C are
/// stable. backward() ACCUMULATES parameter gradients into store.grads().
/// Implementations launch their kernels from free functions (or public
/// members): CUDA rejects device lambdas inside protected/private members.
#include <cstdint>
#include <string>

#include "core/jet_spec.hpp"
#include "core/kokkos.hpp"
#include "models/param_store.hpp"

namespace pinnkit::models {

/// A jet batch (N, C, F).
using Jets = View3<Real>;
using ConstJets = View3<const Real>;
/// A jet batch seen as the (N*C) x F matrix of its rows (no copy, no ownership).
using JetRows = Kokkos::View<Real**, Kokkos::LayoutRight, MemSpace,
                             Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
using ConstJetRows = Kokkos::View<const Real**, Kokkos::LayoutRight, MemSpace,
                                  Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
inline JetRows jet_rows(const Jets& j) {
  return JetRows(j.data(), j.extent(0) * j.extent(1), j.extent(2));
}
inline ConstJetRows jet_rows(const ConstJets& j) {
  return ConstJetRows(j.data(), j.extent(0) * j.extent(1), j.extent(2));
}

class Layer {
 public:
  /// `name` prefixes the layer's parameter blocks ("<name>.weight").
  Layer(std::string name, int in_features, int out_features);
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const std::string& name() const { return name_; }
  int in_features() const { return in_features_; }
  int out_features() const { return out_features_; }
  /// Jet entries per row (point and channel) of the widest buffer the layer
  /// works on: the wider of in and out, unless a layer expands its input
  /// internally (a KAN's basis features). Sizes the objective's chunks.
  virtual int row_width() const { return in_features_ > out_features_ ? in_features_ : out_features_; }

  /// Adds the layer's blocks to `store` (not finalized yet) and remembers the
  /// store, which must outlive the layer.
  void register_params(ParamStore& store);
  /// Fills the layer's blocks from streams seeded by (block name, seed).
  void initialize_params(std::uint64_t seed);

  /// out = layer(in) on every channel. in: (N, C, in_features), out: (N, C, out_features).
  void forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out);
  /// Given dL/d(out) (N, C, out_features): writes dL/d(in) into in_adj
  /// (N, C, in_features; overwritten, not accumulated) and ADDS dL/d(params)
  /// to the store's gradient. Must follow forward() with the same spec and N.
  void backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj, Jets in_adj);
  /// backward() without the input adjoint (first layer of a network).
  void backward_params_only(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj);

  /// Whether register_params has been called.
  bool registered() const { return store_ != nullptr; }
  /// Whether register_params added any block (trainable or not).
  bool has_params() const { return param_blocks_ > 0; }

 protected:
  virtual void do_register_params(ParamStore& /*store*/) {}
  virtual void do_initialize_params(std::uint64_t /*seed*/) {}
  virtual void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) = 0;
  /// in_adj is an empty view (data() == nullptr) when the input adjoint is not wanted.
  virtual void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                           Jets in_adj) = 0;

  /// The store given to register_params (checked).
  ParamStore& store() const;
  /// "<name>.<what>", the name of one of this layer's blocks.
  std::string block_name(const std::string& what) const { return name_ + "." + what; }
  /// N of the last forward() (0 before the first).
  int last_batch() const { return last_batch_; }

 private:
  void check_jets(const char* what, const JetSpec& spec, std::size_t n, std::size_t c,
                  std::size_t f, int expected_features, std::size_t expected_n) const;

  std::string name_;
  int in_features_;
  int out_features_;
  ParamStore* store_ = nullptr;
  int last_batch_ = 0;
  int last_channels_ = 0;
  int param_blocks_ = 0;
};

}  // namespace pinnkit::models
