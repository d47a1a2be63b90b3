#include "adapters/lotra_kan.hpp"

#include <cmath>
#include <typeinfo>

#include "core/error.hpp"
#include "models/tucker.hpp"
#include "core/strings.hpp"
#include "models/slim_kan_layer.hpp"

namespace pinnkit::adapters {

namespace {



// dst += src; a free function because CUDA rejects device lambdas in protected members.
void add_into(const ExecSpace& exec, const View3<Real>& src, const models::ParamView3& dst, Real sign) {
  const int n = static_cast<int>(src.size());
  Real* d = dst.data();
  const Real* s = src.data();
  Kokkos::parallel_for(
      "pinnkit::adapters::LotraKan::add", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int i) { d[i] += sign * s[i]; });
}

}  // namespace

LotraKan::LotraKan(std::string name, int in_features, int out_features, const models::KanOptions& options,
                   const LotraSettings& settings)
    : KanLayer(std::move(name), in_features, out_features, options), settings_(settings) {
  const std::array<int, 3> dims{out_features, in_features, options.grid + options.degree};
  for (int i = 0; i < 3; ++i)
    PINNKIT_CHECK(settings.ranks[i] >= 1 && settings.ranks[i] <= dims[i],
                  "LotraKan " + this->name() + ": rank " + std::to_string(settings.ranks[i]) +
                      " outside [1, " + std::to_string(dims[i]) + "]");
}

std::unique_ptr<LotraKan> LotraKan::wrapping(const models::KanLayer& base, const LotraSettings& settings) {
  return std::make_unique<LotraKan>(base.name(), base.in_features(), base.out_features(), base.options(),
                                    settings);
}

void LotraKan::do_register_params(models::ParamStore& store) {
  // The replaced KanLayer registered the base blocks already; a fresh store needs them.
  if (!store.has(coef_block())) KanLayer::do_register_params(store);
  const auto& r = settings_.ranks;
  store.add(core_block(), {r[0], r[1], r[2]}, "lotra_core");
  store.add(out_block(), {out_features(), r[0]}, "lotra_out");
  store.add(in_block(), {in_features(), r[1]}, "lotra_in");
  store.add(basis_block(), {basis_count(), r[2]}, "lotra_basis");
  if (settings_.lr_scaling == LotraLrScaling::component) store.set_lr_factor(in_block(), 1.0 / in_features());
  store.set_trainable(coef_block(), false);
  if (options().base) store.set_trainable(block_name("base"), false);
  if (options().scale) store.set_trainable(block_name("scale"), false);
}

void LotraKan::do_initialize_params(std::uint64_t seed) {
  KanLayer::do_initialize_params(seed);
  // G = 0: the layer starts as the base layer. Factors N(0, 1/n) per mode
  // (methods.md 6: U_in ~ N(0, 1/n_in)), so columns have unit expected norm.
  models::ParamStore& s = store();
  s.initialize(core_block(), models::Initializer::constant(0.0), seed);
  s.initialize(out_block(), models::Initializer::normal(0.0, 1.0 / std::sqrt(double(out_features()))), seed);
  s.initialize(in_block(), models::Initializer::normal(0.0, 1.0 / std::sqrt(double(in_features()))), seed);
  s.initialize(basis_block(), models::Initializer::normal(0.0, 1.0 / std::sqrt(double(basis_count()))), seed);
  merged_ = false;
}

models::TuckerViews LotraKan::factors() const {
  const models::ParamStore& s = store();
  return {s.params3(core_block()), s.params2(out_block()), s.params2(in_block()), s.params2(basis_block())};
}

bool LotraKan::base_blocks_frozen() const {
  const models::ParamStore& s = store();
  return !s.block(coef_block()).trainable && !(options().base && s.block(block_name("base")).trainable) &&
         !(options().scale && s.block(block_name("scale")).trainable);
}

void LotraKan::do_forward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in, models::Jets out) {
  const int rows = static_cast<int>(in.extent(0) * in.extent(1));
  switch (settings_.contraction) {
    case LotraContraction::coefficients: features_now_ = false; break;
    case LotraContraction::features: features_now_ = true; break;
    case LotraContraction::automatic:
      features_now_ = lotra_features_pay(rows, out_features(), in_features(), basis_count(), features_per_input(),
                                         settings_.ranks, base_blocks_frozen());
      break;
  }
  if (merged_) features_now_ = false;  // A0 holds the update: nothing to add
  KanLayer::do_forward(exec, spec, in, out);
}

models::ParamView3 LotraKan::effective_coefficients(const ExecSpace& exec) {
  const auto a0 = store().params3(coef_block());
  if (merged_ || features_now_) return a0;
  coef_ = models::ensure_view3(coef_, out_features(), in_features(), basis_count(), "pinnkit::adapters::LotraKan::coef");
  Kokkos::deep_copy(exec, coef_, a0);
  tucker_.expand(exec, factors(), Real(1), coef_);
  return models::unmanaged_view3(coef_);
}

models::ParamView3 LotraKan::coefficient_gradient(const ExecSpace& exec) {
  // Feature form: dL/dA0 (only when a config unfreezes A0) straight from the
  // layer's dW gemm; the factors get theirs in feature_output_adjoint.
  if (features_now_) return KanLayer::coefficient_gradient(exec);
  coef_grad_ = models::ensure_view3(coef_grad_, out_features(), in_features(), basis_count(),
                      "pinnkit::adapters::LotraKan::coef_grad");
  Kokkos::deep_copy(exec, coef_grad_, Real(0));
  return models::unmanaged_view3(coef_grad_);
}

models::TuckerViews LotraKan::factor_grads() const {
  const models::ParamStore& s = store();
  auto grad2 = [&](const std::string& b) { return s.block(b).trainable ? s.grads2(b) : models::ParamView2(); };
  const bool train_core = s.block(core_block()).trainable;
  return {train_core ? s.grads3(core_block()) : models::ParamView3(), grad2(out_block()), grad2(in_block()),
          grad2(basis_block())};
}

void LotraKan::add_feature_output(const ExecSpace& exec, View2<const Real> phi, View2<Real> out) {
  if (!features_now_) return;
  const auto scale = options().scale ? store().params2(block_name("scale")) : models::ParamView2();
  feature_tucker_.forward(exec, factors(), scale, phi, features_per_input(), out);
}

void LotraKan::feature_output_adjoint(const ExecSpace& exec, View2<const Real> out_adj, View2<const Real> phi,
                                      View2<Real> phi_adj) {
  if (!features_now_) return;
  const models::ParamStore& s = store();
  const bool scale_trainable = options().scale && s.block(block_name("scale")).trainable;
  const auto scale = options().scale ? s.params2(block_name("scale")) : models::ParamView2();
  feature_tucker_.backward(exec, factors(), scale, phi, features_per_input(), out_adj, factor_grads(),
                           scale_trainable ? s.grads2(block_name("scale")) : models::ParamView2(), phi_adj, fault_);
}

void LotraKan::coefficient_gradient_ready(const ExecSpace& exec) {
  if (features_now_) return;
  const models::ParamStore& s = store();
  const models::TuckerViews g = factor_grads();
  const bool any = g.core.data() || g.out.data() || g.in.data() || g.basis.data();
  PINNKIT_CHECK(!merged_ || !any, "LotraKan " + name() + ": backward through a merged adapter with trainable factors");
  // dL/dA0 = dL/dA: the base tensor gets it when a config unfreezes it.
  if (s.block(coef_block()).trainable) add_into(exec, coef_grad_, s.grads3(coef_block()), Real(1));
  if (any) tucker_.backward(exec, factors(), coef_grad_, g, fault_);
}

void LotraKan::add_update_to_base(const ExecSpace& exec, Real sign) {
  coef_ = models::ensure_view3(coef_, out_features(), in_features(), basis_count(), "pinnkit::adapters::LotraKan::coef");
  tucker_.expand(exec, factors(), Real(0), coef_);
  add_into(exec, coef_, store().params3(coef_block()), sign);
}

void LotraKan::merge(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "LotraKan " + name() + ": merged twice");
  add_update_to_base(exec, Real(1));
  merged_ = true;
}

void LotraKan::unmerge(const ExecSpace& exec) {
  PINNKIT_CHECK(merged_, "LotraKan " + name() + ": unmerge without merge");
  add_update_to_base(exec, Real(-1));
  merged_ = false;
}

AdapterState LotraKan::state() const {
  AdapterState st;
  const std::string p = name() + ".";
  const auto& r = settings_.ranks;
  st.attrs[p + "type"] = "lotra";
  st.attrs[p + "ranks"] = "[" + std::to_string(r[0]) + ", " + std::to_string(r[1]) + ", " + std::to_string(r[2]) + "]";
  st.attrs[p + "lr_scaling"] = settings_.lr_scaling == LotraLrScaling::component ? "component" : "shared";
  // The configured form (auto chooses per pass; both give the same function).
  st.attrs[p + "contraction"] = settings_.contraction == LotraContraction::coefficients ? "coefficients"
                                 : settings_.contraction == LotraContraction::features   ? "features"
                                                                                          : "auto";
  st.arrays[p + "lotra_core"] = {store().block_to_host(core_block()), {r[0], r[1], r[2]}};
  st.arrays[p + "lotra_out"] = {store().block_to_host(out_block()), {out_features(), r[0]}};
  st.arrays[p + "lotra_in"] = {store().block_to_host(in_block()), {in_features(), r[1]}};
  st.arrays[p + "lotra_basis"] = {store().block_to_host(basis_block()), {basis_count(), r[2]}};
  return st;
}

const std::vector<std::string>& lotra_contractions() {
  static const std::vector<std::string> names{"auto", "coefficients", "features"};
  return names;
}

bool lotra_features_pay(int rows, int n_out, int n_in, int K, int F, const std::array<int, 3>& r, bool base_frozen) {
  if (!base_frozen) return false;
  // Multiply-adds per pass (forward + backward, methods.md 6), weighted by
  // what one costs in each kind of kernel. Feature form, per jet row: the S
  // products (3 n_out r1 n_in), the U_bas products (3 n_in F r3) and the rank
  // stages (3 r1 n_in r3), less the dW gemm (n_out n_in F) the layer then
  // skips. Coefficient form, per pass: the staged expansion and adjoint.
  // Weights relative to a feature-form multiply-add, fitted to the
  // crossovers measured with benchmarks/bench_lotra (one thread, CPU time;
  // docs/transfer.md "Time per step"): a dW-gemm multiply-add costs ~0.5 of
  // one (a large tuned gemm against skinny gemms and rank-sized loops), a
  // Tucker-stage one ~5.5 (short flat loops, one kernel launch per stage).
  // Predicted crossovers: 44 rows for the 8-wide sweep layer (ranks 4), 97 /
  // 320 rows for a 32-wide layer (G = 10) with ranks 8 / 2; measured ~40,
  // ~100, ~300.
  constexpr double kGemmWeight = 0.5, kStageWeight = 5.5;
  const double r1 = r[0], r2 = r[1], r3 = r[2], no = n_out, ni = n_in;
  const double per_row = 3 * no * r1 * ni + 3 * ni * F * r3 + 3 * r1 * ni * r3 - kGemmWeight * no * ni * F;
  const double per_pass = r1 * ni * r3 * r2 + r1 * ni * K * r3 + no * ni * K * r1 +  // expand
                          2 * no * ni * K +                                            // copy, zero
                          no * ni * K * r3 + no * r2 * r3 * ni + 2 * r1 * r2 * r3 * no +  // X1, X2, dG, dU_out
                          r1 * ni * r3 * no + ni * r2 * r1 * r3 +                       // Y1, dU_in
                          r1 * ni * K * no + r1 * r2 * K * ni + K * r3 * r1 * r2;       // V1, V2, dU_bas
  return rows * per_row < kStageWeight * per_pass;
}

const std::vector<std::string>& lotra_lr_scalings() {
  static const std::vector<std::string> names{"component", "shared"};
  return names;
}

bool applies_to_lotra(const models::Layer& layer) { return typeid(layer) == typeid(models::KanLayer); }

AttachedAdapter attach_lotra(const models::Layer& layer, const AdapterSpec& spec, const std::string& file) {
  const auto& base = dynamic_cast<const models::KanLayer&>(layer);
  if (spec.ranks.size() != 3)
    throw InputError(input_message(file, "adapter.ranks", "expected three ranks [r1, r2, r3], got " +
                                                              std::to_string(spec.ranks.size()) + " entries"));
  for (std::size_t i = 0; i < 3; ++i)
    if (spec.ranks[i] < 1)
      throw InputError(input_message(file, "adapter.ranks[" + std::to_string(i) + "]",
                                     "expected a positive integer, got " + std::to_string(spec.ranks[i])));
  LotraSettings settings;
  settings.ranks = models::cap_tucker_ranks({spec.ranks[0], spec.ranks[1], spec.ranks[2]}, base.out_features(),
                                            base.in_features(), base.basis_count());
  if (spec.lr_scaling == "shared")
    settings.lr_scaling = LotraLrScaling::shared;
  else if (spec.lr_scaling != "component")
    throw InputError(input_message(file, "adapter.lr_scaling",
                                   "expected one of " + join(lotra_lr_scalings()) + ", got '" + spec.lr_scaling + "'"));
  if (spec.contraction == "coefficients")
    settings.contraction = LotraContraction::coefficients;
  else if (spec.contraction == "features")
    settings.contraction = LotraContraction::features;
  else if (spec.contraction != "auto")
    throw InputError(input_message(file, "adapter.contraction",
                                   "expected one of " + join(lotra_contractions()) + ", got '" + spec.contraction +
                                       "'"));
  auto lotra = LotraKan::wrapping(base, settings);
  Adapter* adapter = lotra.get();
  return {std::move(lotra), adapter};
}

}  // namespace pinnkit::adapters
