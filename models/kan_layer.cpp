// KanLayer: parameters, the jet forward pass (features + one gemm) and its
// adjoint (two gemms + the feature adjoint). Initialisation and grid update
// live in kan_layer_grid.cpp.
#include "models/kan_layer.hpp"

#include "core/error.hpp"
#include "core/gemm.hpp"

namespace pinnkit::models {

namespace {

using Matrix = Kokkos::View<Real**, Kokkos::LayoutRight, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
using ConstMatrix =
    Kokkos::View<const Real**, Kokkos::LayoutRight, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// A (N, C, F) jet batch as the (N*C) x F matrix it is in memory.
template <class JetView>
auto as_rows(const JetView& jets) {
  PINNKIT_CHECK(jets.span_is_contiguous(), "KAN layer: jets must be contiguous");
  using M = std::conditional_t<std::is_const<typename JetView::value_type>::value, ConstMatrix, Matrix>;
  return M(jets.data(), jets.extent(0) * jets.extent(1), jets.extent(2));
}

// Workspace of the given shape carved out of `storage`, which only grows: the
// interior and boundary batches of a step share one allocation.
void ensure_shape(View1<Real>& storage, View2<Real>& v, const char* label, std::size_t rows,
                  std::size_t cols) {
  if (v.extent(0) == rows && v.extent(1) == cols && v.data() != nullptr) return;
  if (storage.extent(0) < rows * cols || storage.data() == nullptr)
    storage = View1<Real>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)),
                          rows * cols);
  v = View2<Real>(storage.data(), rows, cols);
}

// The kernels are free functions: CUDA lambdas may not live in private members.

// W[q, p*F + j] = s[q,p] A[q,p,j] (s = 1 without scale), W[q, p*F + K] = w_b[q,p].
// `base` / `scale` are empty views when the layer has no such branch.
void effective_weights(const ExecSpace& exec, const KanFeatureShape& shape, const ParamView3& coef,
                       const ParamView2& base, const ParamView2& scale, const View2<Real>& w) {
  const int n_out = static_cast<int>(coef.extent(0)), n_in = shape.inputs;
  const int K = shape.basis_count(), F = shape.per_input();
  const bool has_base = base.data() != nullptr, has_scale = scale.data() != nullptr;
  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::effective_weights",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, n_out * n_in), KOKKOS_LAMBDA(const int i) {
        const int q = i / n_in, p = i % n_in;
        const Real s = has_scale ? scale(q, p) : Real(1);
        for (int j = 0; j < K; ++j) w(q, p * F + j) = s * coef(q, p, j);
        if (has_base) w(q, p * F + K) = base(q, p);
      });
}

// From dL/dW: dA += s dW, ds += sum_j A dW, dw_b += dW[., p*F + K] (A: the
// effective tensor; dA skipped when coef_grad is empty).
void param_grads(const ExecSpace& exec, const KanFeatureShape& shape, const View2<const Real>& dw,
                 const ParamView3& coef, const ParamView2& scale, const ParamView3& coef_grad,
                 const ParamView2& base_grad, const ParamView2& scale_grad) {
  const int n_out = static_cast<int>(coef.extent(0)), n_in = shape.inputs;
  const int K = shape.basis_count(), F = shape.per_input();
  const bool has_base = base_grad.data() != nullptr, has_scale = scale.data() != nullptr;
  const bool has_coef = coef_grad.data() != nullptr, has_scale_grad = scale_grad.data() != nullptr;
  Kokkos::parallel_for(
      "pinnkit::models::KanLayer::param_grads",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, n_out * n_in), KOKKOS_LAMBDA(const int i) {
        const int q = i / n_in, p = i % n_in;
        const Real s = has_scale ? scale(q, p) : Real(1);
        Real ds = 0;
        for (int j = 0; j < K; ++j) {
          const Real g = dw(q, p * F + j);
          if (has_coef) coef_grad(q, p, j) += s * g;
          ds += coef(q, p, j) * g;
        }
        if (has_scale_grad) scale_grad(q, p) += ds;
        if (has_base) base_grad(q, p) += dw(q, p * F + K);
      });
}

}  // namespace

KanOptions kan_options_from(const ModelSpec& spec) {
  KanOptions o;
  o.grid = spec.grid;
  o.degree = spec.degree;
  o.grid_lo = spec.grid_range[0];
  o.grid_hi = spec.grid_range[1];
  o.base = spec.base;
  return o;
}

KanLayer::KanLayer(std::string name, int in_features, int out_features, const KanOptions& options)
    : Layer(std::move(name), in_features, out_features), opt_(options) {
  if (opt_.degree < 1 || opt_.degree > kMaxSplineDegree)
    throw InputError(input_message("", "model.degree", "expected an integer in 1..5, got " +
                                                           std::to_string(opt_.degree)));
  if (opt_.grid < 1)
    throw InputError(input_message("", "model.grid", "expected a positive integer, got " +
                                                         std::to_string(opt_.grid)));
  if (!(opt_.grid_lo < opt_.grid_hi))
    throw InputError(input_message("", "model.grid_range",
                                   "expected [lo, hi] with lo < hi, got [" +
                                       std::to_string(opt_.grid_lo) + ", " +
                                       std::to_string(opt_.grid_hi) + "]"));
  if (!(opt_.grid_margin >= 0.0))
    throw InputError(input_message("", "model.grid_margin", "expected a number >= 0, got " +
                                                                std::to_string(opt_.grid_margin)));
  shape_.inputs = in_features;
  shape_.intervals = opt_.grid;
  shape_.degree = opt_.degree;
  shape_.base = opt_.base;
}

void KanLayer::do_register_params(ParamStore& store) {
  store.add(block_name("coef"), {out_features(), in_features(), basis_count()});
  register_edge_blocks(store);
}

void KanLayer::register_edge_blocks(ParamStore& store) {
  const int n_out = out_features(), n_in = in_features();
  if (opt_.base) store.add(block_name("base"), {n_out, n_in});
  if (opt_.scale) store.add(block_name("scale"), {n_out, n_in});
  store.add(block_name("grid"), {n_in, 2}, "kan_grid", /*trainable=*/false);
}

ParamView3 KanLayer::effective_coefficients(const ExecSpace& /*exec*/) {
  return store().params3(coef_block());
}

ParamView3 KanLayer::coefficient_gradient(const ExecSpace& /*exec*/) {
  return store().block(coef_block()).trainable ? store().grads3(coef_block()) : ParamView3();
}

GridView KanLayer::grid_view() const { return store().params2(block_name("grid")); }

void KanLayer::build_effective_weights(const ExecSpace& exec) {
  ensure_shape(weights_storage_, weights_, "pinnkit::models::KanLayer::weights", out_features(),
               in_features() * shape_.per_input());
  const ParamView2 base = opt_.base ? store().params2(block_name("base")) : ParamView2();
  const ParamView2 scale = opt_.scale ? store().params2(block_name("scale")) : ParamView2();
  effective_weights(exec, shape_, used_coefficients_, base, scale, weights_);
}

void KanLayer::accumulate_param_grads(const ExecSpace& exec, const ParamView3& coef_grad) {
  const ParamStore& st = store();
  const bool b = opt_.base && st.block(block_name("base")).trainable;
  const bool s = opt_.scale && st.block(block_name("scale")).trainable;
  param_grads(exec, shape_, weights_grad_, used_coefficients_,
              opt_.scale ? st.params2(block_name("scale")) : ParamView2(), coef_grad,
              b ? st.grads2(block_name("base")) : ParamView2(), s ? st.grads2(block_name("scale")) : ParamView2());
  coefficient_gradient_ready(exec);
}

void KanLayer::do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) {
  PINNKIT_CHECK(spec.max_order() <= max_jet_order, "KAN layer: jet order above 4");
  const std::size_t rows = in.extent(0) * in.extent(1);
  ensure_shape(features_storage_, features_, "pinnkit::models::KanLayer::features", rows,
               static_cast<std::size_t>(in_features() * shape_.per_input()));
  used_coefficients_ = effective_coefficients(exec);
  build_effective_weights(exec);
  kan_features_forward(exec, spec, shape_, grid_view(), in, features_);
  const auto out_rows = as_rows(out);
  gemm(exec, Trans::no, Trans::yes, Real(1), features_, weights_, Real(0), out_rows);
  add_feature_output(exec, features_, View2<Real>(out_rows.data(), out_rows.extent(0), out_rows.extent(1)));
  saved_in_ = in;
}

void KanLayer::do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                           Jets in_adj) {
  PINNKIT_CHECK(features_.extent(0) == out_adj.extent(0) * out_adj.extent(1),
                "KAN layer: backward does not match the last forward");
  const auto adj_rows = as_rows(out_adj);
  const ParamStore& st = store();
  const ParamView3 coef_grad = coefficient_gradient(exec);
  const bool need_dw = coef_grad.data() != nullptr || (opt_.base && st.block(block_name("base")).trainable) ||
                       (opt_.scale && st.block(block_name("scale")).trainable);
  if (need_dw) {
    ensure_shape(weights_grad_storage_, weights_grad_, "pinnkit::models::KanLayer::weights_grad",
                 weights_.extent(0), weights_.extent(1));
    gemm(exec, Trans::yes, Trans::no, Real(1), adj_rows, features_, Real(0), weights_grad_);
    accumulate_param_grads(exec, coef_grad);
  }
  const View2<const Real> adj(adj_rows.data(), adj_rows.extent(0), adj_rows.extent(1));
  if (in_adj.data() == nullptr) {
    feature_output_adjoint(exec, adj, features_, View2<Real>());
    return;
  }
  ensure_shape(features_adj_storage_, features_adj_, "pinnkit::models::KanLayer::features_adj",
               features_.extent(0), features_.extent(1));
  gemm(exec, Trans::no, Trans::no, Real(1), adj_rows, weights_, Real(0), features_adj_);
  feature_output_adjoint(exec, adj, features_, features_adj_);
  kan_features_adjoint(exec, spec, shape_, grid_view(), saved_in_, features_adj_, in_adj);
}

std::unique_ptr<Layer> make_kan_layer(int in_features, int out_features,
                                      const KanOptions& options, ParamStore& store,
                                      const std::string& prefix) {
  auto layer = std::make_unique<KanLayer>(prefix, in_features, out_features, options);
  layer->register_params(store);
  return layer;
}

}  // namespace pinnkit::models
