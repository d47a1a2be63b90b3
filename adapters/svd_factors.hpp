#pragma once
/// \brief The SVD-form update M = P diag(s o m) Q that SubLoRA's adapters
/// (svd_lora on dense and KAN layers, methods.md 5) add to a matrix, and
/// its gradients; the layers only say which matrix (W, or the KAN
/// coefficients as n_out x (n_in K)).
///
/// Blocks "<layer>.svd_P" (rows x r, group svd_P), "<layer>.svd_s" (r, group
/// svd_s), "<layer>.svd_Q" (r x cols, group svd_Q) and "<layer>.svd_mask" (r,
/// group svd_mask, always frozen: 1 kept, 0 pruned; set by the rank
/// allocator, solvers/rank_allocation.hpp). A pruned component contributes
/// nothing and gets no gradient through the loss (dL/ds_i = m_i p_i^T G q_i),
/// and the allocator holds its s at 0, so it stays in /adapter as it was
/// pruned. Init as AdaLoRA (Zhang et al. 2023; PEFT): P, Q ~ N(0, 0.02^2),
/// s = 0, so the adapted layer starts as the base layer.
/// Gradients with G = dL/dM and d = s o m:
///   dL/dP = G Q^T diag(d),  dL/ds_i = m_i (P^T G Q^T)_ii,  dL/dQ = diag(d) P^T G.
#include <cstdint>
#include <string>

#include "adapters/adapter.hpp"
#include "models/param_store.hpp"

namespace pinnkit::adapters {

class SvdFactors {
 public:
  /// For the layer named `layer`, updating a rows x cols matrix with `rank` components.
  SvdFactors(const std::string& layer, int rows, int cols, int rank);
  int rank() const { return rank_; }
  SvdTriplet triplet() const { return {p_, s_, q_, mask_}; }
  const std::string& mask_block() const { return mask_; }
  std::vector<std::string> blocks() const { return {p_, s_, q_, mask_}; }

  void register_params(models::ParamStore& store) const;
  /// P, Q ~ N(0, 0.02^2), s = 0, every mask entry 1.
  void initialize(models::ParamStore& store, std::uint64_t seed) const;
  /// m += sign * P diag(s o mask) Q
  void add_update(const ExecSpace& exec, const models::ParamStore& store, Real sign, const models::ParamView2& m);
  /// Adds dL/dP, dL/ds, dL/dQ (of the trainable ones) from g = dL/dM.
  void accumulate_gradients(const ExecSpace& exec, const models::ParamStore& store, const models::ParamView2& g);
  /// Whether P, s or Q is trainable.
  bool any_trainable(const models::ParamStore& store) const;
  /// "<prefix>svd_P", svd_s, svd_Q, svd_mask arrays and the rank attribute.
  void add_state(const models::ParamStore& store, const std::string& prefix, AdapterState& st) const;

 private:
  std::string p_, s_, q_, mask_;
  int rows_, cols_, rank_;
  View2<Real> scaled_;  ///< rows x r: P diag(s o mask), or G Q^T
};

}  // namespace pinnkit::adapters
