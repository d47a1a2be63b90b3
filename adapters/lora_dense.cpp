#include "adapters/lora_dense.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "adapters/factor_init.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/strings.hpp"

namespace pinnkit::adapters {

namespace {

models::ParamView2 unmanaged(const View2<Real>& v) {
  return models::ParamView2(v.data(), v.extent(0), v.extent(1));
}

View2<Real> ensure(View2<Real> v, std::size_t rows, std::size_t cols, const char* label) {
  if (v.extent(0) == rows && v.extent(1) == cols) return v;
  return View2<Real>(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), rows, cols);
}

// gw += g; a free function because CUDA rejects device lambdas in protected members.
void add_to_base_gradient(const ExecSpace& exec, const View2<Real>& g, const models::ParamView2& gw) {
  const int m = static_cast<int>(g.extent(0)), n = static_cast<int>(g.extent(1));
  Kokkos::parallel_for(
      "pinnkit::adapters::LoraDense::base_gradient",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {m, n}),
      KOKKOS_LAMBDA(int i, int j) { gw(i, j) += g(i, j); });
}

}  // namespace

LoraDense::LoraDense(std::string name, int in_features, int out_features, const std::string& init,
                     bool bias, const LoraSettings& settings)
    : Dense(std::move(name), in_features, out_features, init, bias), settings_(settings) {
  PINNKIT_CHECK(settings.rank >= 1 && settings.rank <= std::min(in_features, out_features),
                "LoraDense " + this->name() + ": rank " + std::to_string(settings.rank) +
                    " outside [1, min(in, out)]");
  PINNKIT_CHECK(settings.alpha >= 0, "LoraDense " + this->name() + ": negative alpha");
}

std::unique_ptr<LoraDense> LoraDense::wrapping(const models::Dense& base, const LoraSettings& settings) {
  return std::make_unique<LoraDense>(base.name(), base.in_features(), base.out_features(),
                                     base.weight_init(), base.has_bias(), settings);
}

void LoraDense::do_register_params(models::ParamStore& store) {
  // The replaced Dense registered the base blocks already; a fresh store needs them.
  if (!store.has(weight_block())) Dense::do_register_params(store);
  store.add(a_block(), {settings_.rank, in_features()}, "lora_A");
  store.add(b_block(), {out_features(), settings_.rank}, "lora_B");
  store.set_trainable(weight_block(), false);
  if (has_bias()) store.set_trainable(bias_block(), false);
}

void LoraDense::do_initialize_params(std::uint64_t seed) {
  Dense::do_initialize_params(seed);
  // PyTorch's LoRA: A ~ kaiming_uniform(a = sqrt 5) = U(+-1/sqrt(in)), B = 0,
  // so the adapted layer starts as the base layer.
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_features()));
  store().initialize(a_block(), models::Initializer::uniform(-bound, bound), seed);
  store().initialize(b_block(), models::Initializer::constant(0.0), seed);
  merged_ = false;
  seed_ = seed;
}

void LoraDense::balanced_random_init(const ExecSpace& exec, std::uint64_t seed) {
  const auto [b, a] = balanced_random_factors(store(), b_block(), a_block(), out_features(), in_features(),
                                              settings_.rank, seed);
  store().block_from_host(b_block(), b);
  store().block_from_host(a_block(), a);
  add_update_to_base(exec, Real(-1));  // W0 - s B0 A0 + s B0 A0 = W0: model unchanged
  exec.fence();
}

models::ParamView2 LoraDense::effective_weight(const ExecSpace& exec) {
  const auto w0 = store().params2(weight_block());
  if (merged_) return w0;
  weight_ = ensure(weight_, out_features(), in_features(), "pinnkit::adapters::LoraDense::weight");
  Kokkos::deep_copy(exec, weight_, w0);
  gemm(exec, Trans::no, Trans::no, Real(scale()), store().params2(b_block()),
       store().params2(a_block()), Real(1), weight_);
  return unmanaged(weight_);
}

bool LoraDense::factored_gradient() const {
  switch (settings_.gradient_path) {
    case LoraGradientPath::full: return false;
    case LoraGradientPath::factored: return true;
    case LoraGradientPath::automatic: break;
  }
  return settings_.rank * (in_features() + out_features()) < in_features() * out_features();
}

void LoraDense::accumulate_weight_gradient(const ExecSpace& exec, models::ConstJets out_adj) {
  auto& s = store();
  const bool train_a = s.block(a_block()).trainable, train_b = s.block(b_block()).trainable;
  const bool train_w0 = s.block(weight_block()).trainable;
  PINNKIT_CHECK(!merged_ || !(train_a || train_b),
                "LoraDense " + name() + ": backward through a merged adapter with trainable factors");
  const bool form_g = capture_ || train_w0 || ((train_a || train_b) && !factored_gradient());
  if (form_g) {
    gradient_ = ensure(gradient_, out_features(), in_features(), "pinnkit::adapters::LoraDense::gradient");
    weight_gradient(exec, out_adj, Real(1), Real(0), unmanaged(gradient_));
    captured_ = captured_ || capture_;
  }
  if (train_w0) add_to_base_gradient(exec, gradient_, s.grads2(weight_block()));
  if (!(train_a || train_b)) return;
  const Real sc = static_cast<Real>(scale());
  const auto A = s.params2(a_block()), B = s.params2(b_block());
  if (!factored_gradient()) {
    if (train_b) gemm(exec, Trans::no, Trans::yes, sc, gradient_, A, Real(1), s.grads2(b_block()));
    if (train_a) gemm(exec, Trans::yes, Trans::no, sc, B, gradient_, Real(1), s.grads2(a_block()));
    return;
  }
  // Factored: never forms G (out x in); two skinny N*C x r products instead.
  const auto adj = models::jet_rows(out_adj);
  const auto z = models::jet_rows(saved_input());
  skinny_ = ensure(skinny_, adj.extent(0), settings_.rank, "pinnkit::adapters::LoraDense::skinny");
  if (train_a) {  // dA += s (adj B)^T z
    gemm(exec, Trans::no, Trans::no, Real(1), adj, B, Real(0), skinny_);
    gemm(exec, Trans::yes, Trans::no, sc, skinny_, z, Real(1), s.grads2(a_block()));
  }
  if (train_b) {  // dB += s adj^T (z A^T)
    gemm(exec, Trans::no, Trans::yes, Real(1), z, A, Real(0), skinny_);
    gemm(exec, Trans::yes, Trans::no, sc, adj, skinny_, Real(1), s.grads2(b_block()));
  }
}

void LoraDense::add_update_to_base(const ExecSpace& exec, Real sign) {
  gemm(exec, Trans::no, Trans::no, Real(sign * scale()), store().params2(b_block()),
       store().params2(a_block()), Real(1), store().params2(weight_block()));
}

void LoraDense::merge(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "LoraDense " + name() + ": merged twice");
  add_update_to_base(exec, Real(1));
  merged_ = true;
}

void LoraDense::unmerge(const ExecSpace& exec) {
  PINNKIT_CHECK(merged_, "LoraDense " + name() + ": unmerge without merge");
  add_update_to_base(exec, Real(-1));
  merged_ = false;
}

void LoraDense::init_from_gradient(const ExecSpace& exec) {
  if (settings_.init == LoraInit::balanced_random) {
    // Here rather than in do_initialize_params: a run loads init_from's base
    // weights after initialising, which would undo the shift of W0.
    PINNKIT_CHECK(!merged_, "LoraDense " + name() + ": init_from_gradient on a merged adapter");
    balanced_random_init(exec, seed_);
    captured_ = false;
    return;
  }
  PINNKIT_CHECK(captured_, "LoraDense " + name() + ": init_from_gradient without a captured gradient");
  PINNKIT_CHECK(!merged_, "LoraDense " + name() + ": init_from_gradient on a merged adapter");
  exec.fence();
  const int m = out_features(), n = in_features();
  auto g_host = Kokkos::create_mirror_view_and_copy(HostSpace(), gradient_);
  Eigen::MatrixXd G(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) G(i, j) = static_cast<double>(g_host(i, j));
  const auto [b, a] = spectral_factors(G, settings_.rank);
  store().block_from_host(b_block(), b);
  store().block_from_host(a_block(), a);
  add_update_to_base(exec, Real(-1));  // W0 - s B0 A0 + s B0 A0 = W0: model unchanged
  captured_ = false;
}

AdapterState LoraDense::state() const {
  AdapterState st;
  const std::string p = name() + ".";
  st.attrs[p + "type"] = "lora";
  st.attrs[p + "rank"] = std::to_string(rank());
  st.attrs[p + "alpha"] = std::to_string(alpha());
  st.attrs[p + "init"] = lora_inits().at(static_cast<std::size_t>(settings_.init));
  st.arrays[p + "lora_A"] = {store().block_to_host(a_block()), {rank(), in_features()}};
  st.arrays[p + "lora_B"] = {store().block_to_host(b_block()), {out_features(), rank()}};
  return st;
}

const std::vector<std::string>& lora_inits() {
  static const std::vector<std::string> names{"standard", "spectral", "balanced_random"};  // LoraInit order
  return names;
}

bool applies_to_lora(const models::Layer& layer) { return dynamic_cast<const models::Dense*>(&layer) != nullptr; }

AttachedAdapter attach_lora(const models::Layer& layer, const AdapterSpec& spec, const std::string& file) {
  const auto& base = dynamic_cast<const models::Dense&>(layer);
  if (spec.rank < 1)
    throw InputError(input_message(file, "adapter.rank", "expected a positive integer, got " + std::to_string(spec.rank)));
  LoraSettings settings;
  const auto& inits = lora_inits();
  const auto init = std::find(inits.begin(), inits.end(), spec.init);
  if (init != inits.end())
    settings.init = static_cast<LoraInit>(init - inits.begin());
  else
    throw InputError(input_message(file, "adapter.init", "expected one of " + join(lora_inits()) + ", got '" + spec.init + "'"));
  const double alpha = spec.alpha > 0 ? spec.alpha : spec.rank;  // alpha/r fixed by the config's r
  settings.rank = std::min({spec.rank, base.in_features(), base.out_features()});
  // Keep s = alpha / r of the config when the rank is capped.
  settings.alpha = alpha * settings.rank / spec.rank;
  auto lora = LoraDense::wrapping(base, settings);
  Adapter* adapter = lora.get();
  return {std::move(lora), adapter};
}

}  // namespace pinnkit::adapters
