#include "adapters/svd_lora_dense.hpp"

#include <algorithm>

#include "adapters/svd_lora_kan.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

namespace pinnkit::adapters {

namespace {

View2<Real> ensure(View2<Real> v, std::size_t rows, std::size_t cols, const char* label) {
  if (v.extent(0) == rows && v.extent(1) == cols) return v;
  return View2<Real>(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), rows, cols);
}

models::ParamView2 unmanaged(const View2<Real>& v) { return models::ParamView2(v.data(), v.extent(0), v.extent(1)); }

// gw += g; a free function because CUDA rejects device lambdas in protected members.
void add_into(const ExecSpace& exec, const View2<Real>& g, const models::ParamView2& gw) {
  const int m = static_cast<int>(g.extent(0)), n = static_cast<int>(g.extent(1));
  Kokkos::parallel_for(
      "pinnkit::adapters::SvdLoraDense::base_gradient",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {m, n}),
      KOKKOS_LAMBDA(int i, int j) { gw(i, j) += g(i, j); });
}

}  // namespace

SvdLoraDense::SvdLoraDense(std::string name, int in_features, int out_features, const std::string& init, bool bias,
                           int rank)
    : Dense(std::move(name), in_features, out_features, init, bias),
      factors_(this->name(), out_features, in_features, rank) {}

std::unique_ptr<SvdLoraDense> SvdLoraDense::wrapping(const models::Dense& base, int rank) {
  return std::make_unique<SvdLoraDense>(base.name(), base.in_features(), base.out_features(), base.weight_init(),
                                        base.has_bias(), rank);
}

void SvdLoraDense::do_register_params(models::ParamStore& store) {
  if (!store.has(weight_block())) Dense::do_register_params(store);
  factors_.register_params(store);
  store.set_trainable(weight_block(), false);
  if (has_bias()) store.set_trainable(bias_block(), false);
}

void SvdLoraDense::do_initialize_params(std::uint64_t seed) {
  Dense::do_initialize_params(seed);
  factors_.initialize(store(), seed);
  merged_ = false;
}

models::ParamView2 SvdLoraDense::effective_weight(const ExecSpace& exec) {
  const auto w0 = store().params2(weight_block());
  if (merged_) return w0;
  weight_ = ensure(weight_, out_features(), in_features(), "pinnkit::adapters::SvdLoraDense::weight");
  Kokkos::deep_copy(exec, weight_, w0);
  factors_.add_update(exec, store(), Real(1), unmanaged(weight_));
  return unmanaged(weight_);
}

void SvdLoraDense::accumulate_weight_gradient(const ExecSpace& exec, models::ConstJets out_adj) {
  auto& s = store();
  const bool train_factors = factors_.any_trainable(s), train_w0 = s.block(weight_block()).trainable;
  PINNKIT_CHECK(!merged_ || !train_factors,
                "SvdLoraDense " + name() + ": backward through a merged adapter with trainable factors");
  if (!(train_factors || train_w0)) return;
  gradient_ = ensure(gradient_, out_features(), in_features(), "pinnkit::adapters::SvdLoraDense::gradient");
  weight_gradient(exec, out_adj, Real(1), Real(0), unmanaged(gradient_));
  if (train_w0) add_into(exec, gradient_, s.grads2(weight_block()));
  if (train_factors) factors_.accumulate_gradients(exec, s, unmanaged(gradient_));
}

void SvdLoraDense::merge(const ExecSpace& exec) {
  PINNKIT_CHECK(!merged_, "SvdLoraDense " + name() + ": merged twice");
  factors_.add_update(exec, store(), Real(1), store().params2(weight_block()));
  merged_ = true;
}

void SvdLoraDense::unmerge(const ExecSpace& exec) {
  PINNKIT_CHECK(merged_, "SvdLoraDense " + name() + ": unmerge without merge");
  factors_.add_update(exec, store(), Real(-1), store().params2(weight_block()));
  merged_ = false;
}

AdapterState SvdLoraDense::state() const {
  AdapterState st;
  const std::string p = name() + ".";
  st.attrs[p + "type"] = "svd_lora";
  factors_.add_state(store(), p, st);
  return st;
}

bool applies_to_svd_lora(const models::Layer& layer) {
  return dynamic_cast<const models::Dense*>(&layer) != nullptr || dynamic_cast<const models::KanLayer*>(&layer) != nullptr;
}

AttachedAdapter attach_svd_lora(const models::Layer& layer, const AdapterSpec& spec, const std::string& file) {
  if (spec.rank < 1)
    throw InputError(input_message(file, "adapter.rank", "expected a positive integer, got " + std::to_string(spec.rank)));
  if (const auto* kan = dynamic_cast<const models::KanLayer*>(&layer)) {
    auto a = SvdLoraKan::wrapping(*kan, std::min({spec.rank, kan->out_features(), kan->in_features() * kan->basis_count()}));
    Adapter* adapter = a.get();
    return {std::move(a), adapter};
  }
  const auto& base = dynamic_cast<const models::Dense&>(layer);
  auto a = SvdLoraDense::wrapping(base, std::min({spec.rank, base.in_features(), base.out_features()}));
  Adapter* adapter = a.get();
  return {std::move(a), adapter};
}

}  // namespace pinnkit::adapters
