#include "models/dense.hpp"

#include "core/error.hpp"
#include "core/gemm.hpp"
#include "models/registries.hpp"

namespace pinnkit::models {

// Kernels live in free functions: CUDA forbids device lambdas inside
// protected member functions (do_forward, do_backward).
namespace {

void add_bias_to_channel0(const ExecSpace& exec, const Jets& out, const ParamView1& b) {
  const int n = static_cast<int>(out.extent(0)), f = static_cast<int>(out.extent(2));
  // One point per iteration: the inner loop over contiguous features vectorises.
  Kokkos::parallel_for(
      "pinnkit::models::Dense::add_bias", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int p) {
        for (int j = 0; j < f; ++j) out(p, 0, j) += b(j);
      });
}

// db += sum over points of the channel-0 adjoint: one team per output.
void accumulate_bias_gradient(const ExecSpace& exec, const ConstJets& out_adj,
                              const ParamView1& db) {
  const int n = static_cast<int>(out_adj.extent(0)), f = static_cast<int>(out_adj.extent(2));
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  Kokkos::parallel_for(
      "pinnkit::models::Dense::bias_gradient", Policy(exec, f, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Policy::member_type& team) {
        const int j = team.league_rank();
        Real sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n), [&](int p, Real& acc) { acc += out_adj(p, 0, j); },
            sum);
        Kokkos::single(Kokkos::PerTeam(team), [&]() { db(j) += sum; });
      });
}

}  // namespace

Dense::Dense(std::string name, int in_features, int out_features, std::string init, bool bias)
    : Layer(std::move(name), in_features, out_features), init_(std::move(init)), bias_(bias) {
  initializer_registry().get(init_);
}

void Dense::do_register_params(ParamStore& store) {
  store.add(weight_block(), {out_features(), in_features()});
  if (bias_) store.add(bias_block(), {out_features()});
}

void Dense::do_initialize_params(std::uint64_t seed) {
  // Biases start at 0 (common for PINNs).
  store().initialize(weight_block(), initializer_registry().get(init_).build(in_features(), out_features()), seed);
  if (bias_) store().initialize(bias_block(), Initializer::constant(0.0), seed);
}

ParamView2 Dense::effective_weight(const ExecSpace& /*exec*/) {
  return store().params2(weight_block());
}

void Dense::do_forward(const ExecSpace& exec, const JetSpec& /*spec*/, ConstJets in, Jets out) {
  saved_in_ = in;
  used_weight_ = effective_weight(exec);
  // out rows (N*C x out) = in rows (N*C x in) * W^T
  gemm(exec, Trans::no, Trans::yes, Real(1), jet_rows(in), ParamView2(used_weight_), Real(0),
       jet_rows(out));
  if (bias_) add_bias_to_channel0(exec, out, store().params(bias_block()));
}

void Dense::weight_gradient(const ExecSpace& exec, ConstJets out_adj, Real alpha, Real beta,
                            const ParamView2& G) const {
  PINNKIT_CHECK(saved_in_.extent(0) == out_adj.extent(0), "Dense: backward without forward");
  // G (out x in) = alpha * out_adj rows^T (out x N*C) * in rows (N*C x in) + beta G
  gemm(exec, Trans::yes, Trans::no, alpha, jet_rows(out_adj), jet_rows(saved_in_), beta, G);
}

void Dense::accumulate_weight_gradient(const ExecSpace& exec, ConstJets out_adj) {
  if (!store().block(weight_block()).trainable) return;
  weight_gradient(exec, out_adj, Real(1), Real(1), store().grads2(weight_block()));
}

void Dense::do_backward(const ExecSpace& exec, const JetSpec& /*spec*/, ConstJets out_adj,
                        Jets in_adj) {
  if (in_adj.data() != nullptr)  // in_adj rows = out_adj rows * W
    gemm(exec, Trans::no, Trans::no, Real(1), jet_rows(out_adj), ParamView2(used_weight_),
         Real(0), jet_rows(in_adj));
  accumulate_weight_gradient(exec, out_adj);
  if (bias_ && store().block(bias_block()).trainable)
    accumulate_bias_gradient(exec, out_adj, store().grads(bias_block()));
}

}  // namespace pinnkit::models
