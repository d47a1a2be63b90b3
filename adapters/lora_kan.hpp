#pragma once
/// \brief LoRA on a KAN layer (methods.md 3, 4): the coefficient tensor
/// A (n_out, n_in, K) seen as an n_out x (n_in K) matrix C,
///   C = C0 + (alpha/r) B A,  B: n_out x r,  A: r x (n_in K),
/// with C0, the base branch and the per-edge scale frozen. So the factor
/// pair is an ordinary LoRA pair (structure()) and every factor-pair stepper
/// (ScaledGD, ODELoRA) trains it unchanged.
///
/// Built only on KanLayer's protected hooks: effective_coefficients returns
/// C0 + s B A, coefficient_gradient a buffer of its own (zeroed per
/// backward), and coefficient_gradient_ready maps G = dL/dC onto the factors:
/// dL/dB = s G A^T, dL/dA = s B^T G (and G onto C0 when it is unfrozen).
/// Inits as LoraDense: standard (A ~ U(+-1/sqrt(n_in K)), B = 0), spectral
/// (top-r SVD of the first G, C0 shifted) and balanced_random (sigma U,
/// sigma V^T orthonormal, sigma = 0.1, C0 shifted); the last two keep the
/// network unchanged at step 0.
/// Not supported with it: grid updates (update_grid_from_samples refits C0
/// alone, which would change the function).
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/adapter.hpp"
#include "adapters/adapter_registry.hpp"
#include "adapters/lora_dense.hpp"
#include "models/kan_layer.hpp"

namespace pinnkit::adapters {

class LoraKan : public models::KanLayer, public Adapter {
 public:
  /// rank must lie in [1, min(n_out, n_in K)].
  LoraKan(std::string name, int in_features, int out_features, const models::KanOptions& options,
          const LoraSettings& settings);
  static std::unique_ptr<LoraKan> wrapping(const models::KanLayer& base, const LoraSettings& settings);

  int rank() const { return settings_.rank; }
  double scale() const { return (settings_.alpha > 0 ? settings_.alpha : settings_.rank) / settings_.rank; }
  /// Columns of the matrix view of the coefficient tensor: n_in K.
  int matrix_cols() const { return in_features() * basis_count(); }
  std::string a_block() const { return block_name("lora_A"); }
  std::string b_block() const { return block_name("lora_B"); }

  // Adapter
  const std::string& adapted_layer() const override { return name(); }
  std::vector<std::string> owned_blocks() const override { return {a_block(), b_block()}; }
  AdapterStructure structure() const override { return {{{b_block(), a_block(), scale()}}, {}, {}}; }
  bool wants_gradient_init() const override { return settings_.init != LoraInit::standard; }
  void capture_gradient(bool on) override { capture_ = on; }
  void init_from_gradient(const ExecSpace& exec) override;
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
  /// C0 += sign * s B A
  void add_update_to_base(const ExecSpace& exec, Real sign);
  models::ParamView2 as_matrix(const View1<Real>& v) const;

  LoraSettings settings_;
  bool merged_ = false;
  bool capture_ = false;
  bool captured_ = false;
  std::uint64_t seed_ = 0;
  View1<Real> coefficients_;  ///< C0 + s B A of the last forward
  View1<Real> gradient_;      ///< G = dL/dC of the last backward
};

/// The registry's lora_kan entry: KAN layers.
bool applies_to_lora_kan(const models::Layer& layer);
AttachedAdapter attach_lora_kan(const models::Layer& base, const AdapterSpec& spec, const std::string& file);

}  // namespace pinnkit::adapters
