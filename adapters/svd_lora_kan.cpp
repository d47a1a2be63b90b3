#include "adapters/svd_lora_kan.hpp"

#include "adapters/coefficient_update.hpp"
#include "core/error.hpp"

namespace pinnkit::adapters {

SvdLoraKan::SvdLoraKan(std::string name, int in_features, int out_features, const models::KanOptions& options,
                       int rank)
    : KanLayer(std::move(name), in_features, out_features, options),
      factors_(this->name(), out_features, in_features * basis_count(), rank) {}

std::unique_ptr<SvdLoraKan> SvdLoraKan::wrapping(const models::KanLayer& base, int rank) {
  return std::make_unique<SvdLoraKan>(base.name(), base.in_features(), base.out_features(), base.options(), rank);
}

void SvdLoraKan::do_register_params(models::ParamStore& store) {
  if (!store.has(coef_block())) KanLayer::do_register_params(store);
  factors_.register_params(store);
  for (const char* what : {"coef", "base", "scale"})
    if (store.has(block_name(what))) store.set_trainable(block_name(what), false);
}

void SvdLoraKan::do_initialize_params(std::uint64_t seed) {
  KanLayer::do_initialize_params(seed);
  factors_.initialize(store(), seed);
  merged_ = false;
}

models::ParamView3 SvdLoraKan::effective_coefficients(const ExecSpace& exec) {
  const auto c0 = store().params3(coef_block());
  if (merged_) return c0;
  const std::size_t n = c0.size();
  ensure_size(coefficients_, n, "pinnkit::adapters::SvdLoraKan::coefficients");
  Kokkos::deep_copy(exec, coefficients_, View1<const Real>(c0.data(), n));
  factors_.add_update(exec, store(), Real(1), as_matrix(coefficients_.data()));
  return models::ParamView3(coefficients_.data(), out_features(), in_features(), basis_count());
}

models::ParamView3 SvdLoraKan::coefficient_gradient(const ExecSpace& exec) {
  ensure_size(gradient_, std::size_t(out_features()) * matrix_cols(), "pinnkit::adapters::SvdLoraKan::gradient");
  Kokkos::deep_copy(exec, gradient_, Real(0));
  return models::ParamView3(gradient_.data(), out_features(), in_features(), basis_count());
}

void SvdLoraKan::coefficient_gradient_ready(const ExecSpace& exec) {
  auto& s = store();
  const bool train_factors = factors_.any_trainable(s);
  PINNKIT_CHECK(!merged_ || !train_factors,
                "SvdLoraKan " + name() + ": backward through a merged adapter with trainable factors");
  if (s.block(coef_block()).trainable) add_into_coefficients(exec, gradient_, s.grads3(coef_block()));
  if (train_factors) factors_.accumulate_gradients(exec, s, as_matrix(gradient_.data()));
}

void SvdLoraKan::merge(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "SvdLoraKan " + name() + ": merged twice");
  factors_.add_update(exec, store(), Real(1), as_matrix(store().params3(coef_block()).data()));
  merged_ = true;
}

void SvdLoraKan::unmerge(const ExecSpace& exec) {
  PINNKIT_CHECK(merged_, "SvdLoraKan " + name() + ": unmerge without merge");
  factors_.add_update(exec, store(), Real(-1), as_matrix(store().params3(coef_block()).data()));
  merged_ = false;
}

AdapterState SvdLoraKan::state() const {
  AdapterState st;
  const std::string p = name() + ".";
  st.attrs[p + "type"] = "svd_lora_kan";
  factors_.add_state(store(), p, st);
  return st;
}

}  // namespace pinnkit::adapters
