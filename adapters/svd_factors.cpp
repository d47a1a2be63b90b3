#include "adapters/svd_factors.hpp"

#include "core/error.hpp"
#include "core/gemm.hpp"

namespace pinnkit::adapters {

namespace {

// out(a, i) = p(a, i) * s(i) * mask(i); free functions because CUDA rejects
// device lambdas in member functions of classes with private members in use.
void scale_columns(const ExecSpace& exec, const models::ParamView2& p, const models::ParamView1& s,
                   const models::ParamView1& mask, const View2<Real>& out) {
  const int rows = static_cast<int>(p.extent(0)), r = static_cast<int>(p.extent(1));
  Kokkos::parallel_for(
      "pinnkit::adapters::SvdFactors::scale_columns",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {rows, r}),
      KOKKOS_LAMBDA(int a, int i) { out(a, i) = p(a, i) * s(i) * mask(i); });
}

// With t = G Q^T: dP(a, i) += t(a, i) s_i m_i (when dp is set) and
// ds_i += m_i sum_a P(a, i) t(a, i) (when ds is set).
void p_and_s_gradients(const ExecSpace& exec, const View2<Real>& t, const models::ParamView2& p,
                       const models::ParamView1& s, const models::ParamView1& mask, bool train_p,
                       const models::ParamView2& dp, bool train_s, const models::ParamView1& ds) {
  const int rows = static_cast<int>(p.extent(0)), r = static_cast<int>(p.extent(1));
  Kokkos::parallel_for(
      "pinnkit::adapters::SvdFactors::p_and_s_gradients", Kokkos::RangePolicy<ExecSpace>(exec, 0, r),
      KOKKOS_LAMBDA(int i) {
        const Real d = s(i) * mask(i);
        Real acc = 0;
        for (int a = 0; a < rows; ++a) {
          if (train_p) dp(a, i) += t(a, i) * d;
          acc += p(a, i) * t(a, i);
        }
        if (train_s) ds(i) += mask(i) * acc;
      });
}

View2<Real> ensure(View2<Real> v, int rows, int cols) {
  if (static_cast<int>(v.extent(0)) == rows && static_cast<int>(v.extent(1)) == cols) return v;
  return View2<Real>(Kokkos::view_alloc(std::string("pinnkit::adapters::SvdFactors::work"), Kokkos::WithoutInitializing),
                     rows, cols);
}

}  // namespace

SvdFactors::SvdFactors(const std::string& layer, int rows, int cols, int rank)
    : p_(layer + ".svd_P"), s_(layer + ".svd_s"), q_(layer + ".svd_Q"), mask_(layer + ".svd_mask"),
      rows_(rows), cols_(cols), rank_(rank) {
  PINNKIT_CHECK(rank >= 1 && rank <= std::min(rows, cols),
                "svd_lora " + layer + ": rank " + std::to_string(rank) + " outside [1, min(rows, cols)]");
}

void SvdFactors::register_params(models::ParamStore& store) const {
  store.add(p_, {rows_, rank_}, "svd_P");
  store.add(s_, {rank_}, "svd_s");
  store.add(q_, {rank_, cols_}, "svd_Q");
  store.add(mask_, {rank_}, "svd_mask");
  store.set_trainable(mask_, false);  // the allocator's, never the optimizer's
}

void SvdFactors::initialize(models::ParamStore& store, std::uint64_t seed) const {
  // PEFT's AdaLoRA: E = 0, A, B ~ N(0, 0.02); distinct seeds so P and Q differ.
  store.initialize(p_, models::Initializer::normal(0.0, 0.02), seed);
  store.initialize(q_, models::Initializer::normal(0.0, 0.02), seed + 1);
  store.initialize(s_, models::Initializer::constant(0.0), seed);
  store.initialize(mask_, models::Initializer::constant(1.0), seed);
}

void SvdFactors::add_update(const ExecSpace& exec, const models::ParamStore& store, Real sign,
                            const models::ParamView2& m) {
  scaled_ = ensure(scaled_, rows_, rank_);
  scale_columns(exec, store.params2(p_), store.params(s_), store.params(mask_), scaled_);
  gemm(exec, Trans::no, Trans::no, sign, scaled_, store.params2(q_), Real(1), m);
}

bool SvdFactors::any_trainable(const models::ParamStore& store) const {
  return store.block(p_).trainable || store.block(s_).trainable || store.block(q_).trainable;
}

void SvdFactors::accumulate_gradients(const ExecSpace& exec, const models::ParamStore& store,
                                      const models::ParamView2& g) {
  const bool train_p = store.block(p_).trainable, train_s = store.block(s_).trainable;
  const bool train_q = store.block(q_).trainable;
  scaled_ = ensure(scaled_, rows_, rank_);
  const auto p = store.params2(p_);
  const auto s = store.params(s_), mask = store.params(mask_);
  if (train_q) {  // dQ += (P diag(d))^T G
    scale_columns(exec, p, s, mask, scaled_);
    gemm(exec, Trans::yes, Trans::no, Real(1), scaled_, g, Real(1), store.grads2(q_));
  }
  if (train_p || train_s) {  // t = G Q^T, then dP and ds from it
    gemm(exec, Trans::no, Trans::yes, Real(1), g, store.params2(q_), Real(0), scaled_);
    p_and_s_gradients(exec, scaled_, p, s, mask, train_p, store.grads2(p_), train_s, store.grads(s_));
  }
}

void SvdFactors::add_state(const models::ParamStore& store, const std::string& prefix, AdapterState& st) const {
  st.attrs[prefix + "rank"] = std::to_string(rank_);
  st.arrays[prefix + "svd_P"] = {store.block_to_host(p_), {rows_, rank_}};
  st.arrays[prefix + "svd_s"] = {store.block_to_host(s_), {rank_}};
  st.arrays[prefix + "svd_Q"] = {store.block_to_host(q_), {rank_, cols_}};
  st.arrays[prefix + "svd_mask"] = {store.block_to_host(mask_), {rank_}};
}

}  // namespace pinnkit::adapters
