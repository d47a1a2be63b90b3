#pragma once
/// \brief SVD-form LoRA on a KAN layer (SubLoRA, methods.md 5): the
/// coefficient tensor (n_out, n_in, K) seen as an n_out x (n_in K) matrix C
/// (as lora_kan does), C = C0 + P diag(s o mask) Q, with C0, the base branch
/// and the per-edge scale frozen (adapters/svd_factors.hpp for blocks, init
/// and gradients). Grid updates are not supported with it (they refit C0 alone).
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/svd_factors.hpp"
#include "models/kan_layer.hpp"

namespace pinnkit::adapters {

class SvdLoraKan : public models::KanLayer, public Adapter {
 public:
  /// rank must lie in [1, min(n_out, n_in K)].
  SvdLoraKan(std::string name, int in_features, int out_features, const models::KanOptions& options, int rank);
  static std::unique_ptr<SvdLoraKan> wrapping(const models::KanLayer& base, int rank);

  int rank() const { return factors_.rank(); }
  int matrix_cols() const { return in_features() * basis_count(); }

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
  models::ParamView3 effective_coefficients(const ExecSpace& exec) override;
  models::ParamView3 coefficient_gradient(const ExecSpace& exec) override;
  void coefficient_gradient_ready(const ExecSpace& exec) override;

 private:
  models::ParamView2 as_matrix(Real* data) const { return models::ParamView2(data, out_features(), matrix_cols()); }

  SvdFactors factors_;
  bool merged_ = false;
  View1<Real> coefficients_;  ///< C0 + P diag(s o mask) Q of the last forward
  View1<Real> gradient_;      ///< G = dL/dC of the last backward
};

}  // namespace pinnkit::adapters
