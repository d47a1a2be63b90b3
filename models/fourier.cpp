#include "models/fourier.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/gemm.hpp"
#include "models/activation_jets.hpp"

namespace pinnkit::models {

namespace {
constexpr double two_pi = 6.283185307179586;

// Reallocates `v` only when the shape changes (no allocation on a step).
void ensure_shape(Jets& v, const char* label, std::size_t n, std::size_t c, std::size_t f) {
  if (v.extent(0) != n || v.extent(1) != c || v.extent(2) != f)
    v = Jets(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), n, c, f);
}
}  // namespace

FourierFeatures::FourierFeatures(std::string name, int in_features, int count, double scale)
    : Layer(std::move(name), in_features, 2 * std::max(count, 1)), count_(count), scale_(scale) {
  if (count < 1)
    throw InputError(input_message("", "model.fourier.count",
                                   "expected a positive integer, got " + std::to_string(count)));
  if (!(scale > 0))
    throw InputError(input_message("", "model.fourier.scale",
                                   "expected a positive number, got " + std::to_string(scale)));
}

void FourierFeatures::do_register_params(ParamStore& store) {
  store.add(frequencies_block(), {count_, in_features()}, "frozen", false);
}

void FourierFeatures::do_initialize_params(std::uint64_t seed) {
  store().initialize(frequencies_block(), Initializer::normal(0.0, scale_), seed);
}

void FourierFeatures::do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in,
                                 Jets out) {
  const std::size_t n = in.extent(0), c = spec.channels();
  ensure_shape(phase_, "pinnkit::models::FourierFeatures::phase", n, c, count_);
  const auto B = store().params2(frequencies_block());
  gemm(exec, Trans::no, Trans::yes, Real(two_pi), jet_rows(in), B, Real(0), jet_rows(phase_));
  const auto sin_part = Kokkos::subview(out, Kokkos::ALL, Kokkos::ALL, std::make_pair(0, count_));
  const auto cos_part =
      Kokkos::subview(out, Kokkos::ALL, Kokkos::ALL, std::make_pair(count_, 2 * count_));
  activation_jets_forward(exec, spec.layout(), SinFn{}, phase_, sin_part);
  activation_jets_forward(exec, spec.layout(), CosFn{}, phase_, cos_part);
}

void FourierFeatures::do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                                  Jets in_adj) {
  if (in_adj.data() == nullptr) return;  // B is frozen: nothing else to compute
  const std::size_t n = out_adj.extent(0), c = spec.channels();
  ensure_shape(phase_adj_, "pinnkit::models::FourierFeatures::phase_adj", n, c, count_);
  const auto sin_adj =
      Kokkos::subview(out_adj, Kokkos::ALL, Kokkos::ALL, std::make_pair(0, count_));
  const auto cos_adj =
      Kokkos::subview(out_adj, Kokkos::ALL, Kokkos::ALL, std::make_pair(count_, 2 * count_));
  activation_jets_backward(exec, spec.layout(), SinFn{}, phase_, Jets(), sin_adj, phase_adj_,
                           false);
  activation_jets_backward(exec, spec.layout(), CosFn{}, phase_, Jets(), cos_adj, phase_adj_,
                           true);
  const auto B = store().params2(frequencies_block());
  gemm(exec, Trans::no, Trans::no, Real(two_pi), jet_rows(ConstJets(phase_adj_)), B, Real(0),
       jet_rows(in_adj));
}

}  // namespace pinnkit::models
