#include "adapters/lora_kan.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "adapters/factor_init.hpp"
#include "adapters/coefficient_update.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/strings.hpp"

namespace pinnkit::adapters {

LoraKan::LoraKan(std::string name, int in_features, int out_features, const models::KanOptions& options,
                 const LoraSettings& settings)
    : KanLayer(std::move(name), in_features, out_features, options), settings_(settings) {
  PINNKIT_CHECK(settings.rank >= 1 && settings.rank <= std::min(out_features, in_features * basis_count()),
                "LoraKan " + this->name() + ": rank " + std::to_string(settings.rank) +
                    " outside [1, min(n_out, n_in K)]");
  PINNKIT_CHECK(settings.alpha >= 0, "LoraKan " + this->name() + ": negative alpha");
}

std::unique_ptr<LoraKan> LoraKan::wrapping(const models::KanLayer& base, const LoraSettings& settings) {
  return std::make_unique<LoraKan>(base.name(), base.in_features(), base.out_features(), base.options(), settings);
}

models::ParamView2 LoraKan::as_matrix(const View1<Real>& v) const {
  return models::ParamView2(v.data(), out_features(), matrix_cols());
}

void LoraKan::do_register_params(models::ParamStore& store) {
  if (!store.has(coef_block())) KanLayer::do_register_params(store);
  store.add(a_block(), {settings_.rank, matrix_cols()}, "lora_A");
  store.add(b_block(), {out_features(), settings_.rank}, "lora_B");
  for (const char* what : {"coef", "base", "scale"})
    if (store.has(block_name(what))) store.set_trainable(block_name(what), false);
}

void LoraKan::do_initialize_params(std::uint64_t seed) {
  KanLayer::do_initialize_params(seed);
  const double bound = 1.0 / std::sqrt(static_cast<double>(matrix_cols()));
  store().initialize(a_block(), models::Initializer::uniform(-bound, bound), seed);
  store().initialize(b_block(), models::Initializer::constant(0.0), seed);
  merged_ = false;
  seed_ = seed;
}

models::ParamView3 LoraKan::effective_coefficients(const ExecSpace& exec) {
  const auto c0 = store().params3(coef_block());
  if (merged_) return c0;
  const std::size_t n = c0.size();
  ensure_size(coefficients_, n, "pinnkit::adapters::LoraKan::coefficients");
  Kokkos::deep_copy(exec, coefficients_, View1<const Real>(store().params3(coef_block()).data(), n));
  gemm(exec, Trans::no, Trans::no, Real(scale()), store().params2(b_block()), store().params2(a_block()), Real(1),
       as_matrix(coefficients_));
  return models::ParamView3(coefficients_.data(), out_features(), in_features(), basis_count());
}

models::ParamView3 LoraKan::coefficient_gradient(const ExecSpace& exec) {
  const std::size_t n = std::size_t(out_features()) * matrix_cols();
  ensure_size(gradient_, n, "pinnkit::adapters::LoraKan::gradient");
  Kokkos::deep_copy(exec, gradient_, Real(0));
  return models::ParamView3(gradient_.data(), out_features(), in_features(), basis_count());
}

void LoraKan::coefficient_gradient_ready(const ExecSpace& exec) {
  auto& s = store();
  const bool train_a = s.block(a_block()).trainable, train_b = s.block(b_block()).trainable;
  PINNKIT_CHECK(!merged_ || !(train_a || train_b),
                "LoraKan " + name() + ": backward through a merged adapter with trainable factors");
  captured_ = captured_ || capture_;
  if (s.block(coef_block()).trainable) add_into_coefficients(exec, gradient_, s.grads3(coef_block()));
  const Real sc = static_cast<Real>(scale());
  const auto G = as_matrix(gradient_);
  if (train_b) gemm(exec, Trans::no, Trans::yes, sc, G, s.params2(a_block()), Real(1), s.grads2(b_block()));
  if (train_a) gemm(exec, Trans::yes, Trans::no, sc, s.params2(b_block()), G, Real(1), s.grads2(a_block()));
}

void LoraKan::add_update_to_base(const ExecSpace& exec, Real sign) {
  const auto c0 = store().params3(coef_block());
  gemm(exec, Trans::no, Trans::no, Real(sign * scale()), store().params2(b_block()), store().params2(a_block()),
       Real(1), models::ParamView2(c0.data(), out_features(), matrix_cols()));
}

void LoraKan::merge(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "LoraKan " + name() + ": merged twice");
  add_update_to_base(exec, Real(1));
  merged_ = true;
}

void LoraKan::unmerge(const ExecSpace& exec) {
  PINNKIT_CHECK(merged_, "LoraKan " + name() + ": unmerge without merge");
  add_update_to_base(exec, Real(-1));
  merged_ = false;
}

void LoraKan::init_from_gradient(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "LoraKan " + name() + ": init_from_gradient on a merged adapter");
  const int m = out_features(), n = matrix_cols(), r = settings_.rank;
  HostFactors f;
  if (settings_.init == LoraInit::balanced_random) {
    f = balanced_random_factors(store(), b_block(), a_block(), m, n, r, seed_);
  } else {
    PINNKIT_CHECK(captured_, "LoraKan " + name() + ": init_from_gradient without a captured gradient");
    exec.fence();
    const auto g_host = Kokkos::create_mirror_view_and_copy(HostSpace(), gradient_);
    Eigen::MatrixXd G(m, n);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) G(i, j) = static_cast<double>(g_host(std::size_t(i) * n + j));
    f = spectral_factors(G, r);
  }
  const auto& [b, a] = f;
  store().block_from_host(b_block(), b);
  store().block_from_host(a_block(), a);
  add_update_to_base(exec, Real(-1));  // C0 - s B0 A0 + s B0 A0 = C0: model unchanged
  exec.fence();
  captured_ = false;
}

AdapterState LoraKan::state() const {
  AdapterState st;
  const std::string p = name() + ".";
  st.attrs[p + "type"] = "lora_kan";
  st.attrs[p + "rank"] = std::to_string(rank());
  st.attrs[p + "alpha"] = std::to_string(scale() * rank());
  st.attrs[p + "init"] = lora_inits().at(static_cast<std::size_t>(settings_.init));
  st.arrays[p + "lora_A"] = {store().block_to_host(a_block()), {rank(), matrix_cols()}};
  st.arrays[p + "lora_B"] = {store().block_to_host(b_block()), {out_features(), rank()}};
  return st;
}

bool applies_to_lora_kan(const models::Layer& layer) {
  return dynamic_cast<const models::KanLayer*>(&layer) != nullptr;
}

AttachedAdapter attach_lora_kan(const models::Layer& layer, const AdapterSpec& spec, const std::string& file) {
  const auto& base = dynamic_cast<const models::KanLayer&>(layer);
  if (spec.rank < 1)
    throw InputError(input_message(file, "adapter.rank", "expected a positive integer, got " + std::to_string(spec.rank)));
  const auto& inits = lora_inits();
  const auto init = std::find(inits.begin(), inits.end(), spec.init);
  if (init == inits.end())
    throw InputError(input_message(file, "adapter.init", "expected one of " + join(inits) + ", got '" + spec.init + "'"));
  LoraSettings settings;
  settings.init = static_cast<LoraInit>(init - inits.begin());
  const double alpha = spec.alpha > 0 ? spec.alpha : spec.rank;
  settings.rank = std::min({spec.rank, base.out_features(), base.in_features() * base.basis_count()});
  settings.alpha = alpha * settings.rank / spec.rank;
  auto lora = LoraKan::wrapping(base, settings);
  Adapter* adapter = lora.get();
  return {std::move(lora), adapter};
}

}  // namespace pinnkit::adapters
