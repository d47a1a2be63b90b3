#include "models/slim_kan_layer.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "models/tucker.hpp"

namespace pinnkit::models {

std::array<int, 3> cap_tucker_ranks(const std::array<int, 3>& ranks, int n_out, int n_in, int K) {
  return {std::min(ranks[0], n_out), std::min(ranks[1], n_in), std::min(ranks[2], K)};
}

SlimKanLayer::SlimKanLayer(std::string name, int in_features, int out_features, const KanOptions& options,
                           const std::array<int, 3>& ranks)
    : KanLayer(std::move(name), in_features, out_features, options),
      ranks_(cap_tucker_ranks(ranks, out_features, in_features, options.grid + options.degree)) {
  for (int i = 0; i < 3; ++i)
    if (ranks[i] < 1)
      throw InputError(input_message("", "model.ranks[" + std::to_string(i) + "]",
                                     "expected a positive integer, got " + std::to_string(ranks[i])));
}

void SlimKanLayer::do_register_params(ParamStore& store) {
  store.add(core_block(), {ranks_[0], ranks_[1], ranks_[2]});
  store.add(out_block(), {out_features(), ranks_[0]});
  store.add(in_block(), {in_features(), ranks_[1]});
  store.add(basis_block(), {basis_count(), ranks_[2]});
  register_edge_blocks(store);
}

void SlimKanLayer::do_initialize_params(std::uint64_t seed) {
  initialize_edge_blocks(seed);
  auto unit_columns = [&](const std::string& block, int n) {
    const double bound = std::sqrt(3.0 / n);
    store().initialize(block, Initializer::uniform(-bound, bound), seed);
  };
  unit_columns(out_block(), out_features());
  unit_columns(in_block(), in_features());
  unit_columns(basis_block(), basis_count());
  // Entry variance of A: r1 r2 r3 Var(G) / (n_out n_in K); match the plain
  // KAN's noise amplitude a = noise_scale / G, i.e. std ~ a / sqrt(12).
  const double amplitude = options().noise_scale / options().grid;
  const double ratio = static_cast<double>(dense_coefficient_count()) / (ranks_[0] * ranks_[1] * ranks_[2]);
  const double g = amplitude * std::sqrt(ratio) / 2.0;  // U(+-g): std g / sqrt(3)
  store().initialize(core_block(), Initializer::uniform(-g, g), seed);
}

ParamView3 SlimKanLayer::effective_coefficients(const ExecSpace& exec) {
  coef_ = ensure_view3(coef_, out_features(), in_features(), basis_count(), "pinnkit::models::SlimKanLayer::coef");
  const ParamStore& s = store();
  tucker_.expand(exec, {s.params3(core_block()), s.params2(out_block()), s.params2(in_block()), s.params2(basis_block())},
                 Real(0), coef_);
  return unmanaged_view3(coef_);
}

ParamView3 SlimKanLayer::coefficient_gradient(const ExecSpace& exec) {
  coef_grad_ = ensure_view3(coef_grad_, out_features(), in_features(), basis_count(),
                      "pinnkit::models::SlimKanLayer::coef_grad");
  Kokkos::deep_copy(exec, coef_grad_, Real(0));
  return unmanaged_view3(coef_grad_);
}

void SlimKanLayer::coefficient_gradient_ready(const ExecSpace& exec) {
  const ParamStore& s = store();
  auto grad2 = [&](const std::string& b) { return s.block(b).trainable ? s.grads2(b) : ParamView2(); };
  const TuckerViews f{s.params3(core_block()), s.params2(out_block()), s.params2(in_block()),
                      s.params2(basis_block())};
  const TuckerViews g{s.block(core_block()).trainable ? s.grads3(core_block()) : ParamView3(), grad2(out_block()),
                      grad2(in_block()), grad2(basis_block())};
  tucker_.backward(exec, f, coef_grad_, g, fault_);
}

}  // namespace pinnkit::models
