#pragma once
/// \brief SVD-form LoRA on a dense layer (SubLoRA / AdaLoRA, methods.md 5):
/// W = W0 + P diag(s o mask) Q with W0 and the bias frozen, P: out x r,
/// s: r, Q: r x in (adapters/svd_factors.hpp for blocks, init and gradients).
/// The orthogonality regulariser and the pruning masks are the rank
/// allocator's (solvers/rank_allocation.hpp), which reads structure().svd.
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_registry.hpp"
#include "adapters/svd_factors.hpp"
#include "models/dense.hpp"

namespace pinnkit::adapters {

class SvdLoraDense : public models::Dense, public Adapter {
 public:
  /// rank must lie in [1, min(in, out)].
  SvdLoraDense(std::string name, int in_features, int out_features, const std::string& init, bool bias, int rank);
  static std::unique_ptr<SvdLoraDense> wrapping(const models::Dense& base, int rank);

  int rank() const { return factors_.rank(); }

  // Adapter
  const std::string& adapted_layer() const override { return name(); }
  std::vector<std::string> owned_blocks() const override { return factors_.blocks(); }
  AdapterStructure structure() const override { return {{}, {}, {factors_.triplet()}}; }
  void merge(const ExecSpace& exec) override;
  void unmerge(const ExecSpace& exec) override;
  AdapterState state() const override;

 protected:
  void do_register_params(models::ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  models::ParamView2 effective_weight(const ExecSpace& exec) override;
  void accumulate_weight_gradient(const ExecSpace& exec, models::ConstJets out_adj) override;

 private:
  SvdFactors factors_;
  bool merged_ = false;
  View2<Real> weight_;    ///< W0 + P diag(s o mask) Q of the last forward
  View2<Real> gradient_;  ///< G = dL/dW of the last backward
};

bool applies_to_svd_lora(const models::Layer& layer);
/// The registry's svd_lora entry: dense layers (SvdLoraDense) and KAN layers
/// (SvdLoraKan); rank capped per layer at min(in, out) / min(n_out, n_in K).
AttachedAdapter attach_svd_lora(const models::Layer& base, const AdapterSpec& spec, const std::string& file);

}  // namespace pinnkit::adapters
