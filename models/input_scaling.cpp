#include "models/input_scaling.hpp"

#include <sstream>

#include "core/error.hpp"

namespace pinnkit::models {

// Kernels live in free functions: CUDA forbids device lambdas inside
// protected member functions (do_forward, do_backward).
namespace {

void scale_jets(const ExecSpace& exec, const View1<Real>& scale, const View1<Real>& shift,
                const ConstJets& in, const Jets& out) {
  const int n = static_cast<int>(in.extent(0)), c = static_cast<int>(in.extent(1));
  const int d = static_cast<int>(in.extent(2));
  const bool with_shift = shift.data() != nullptr;
  Kokkos::parallel_for(
      "pinnkit::models::InputScaling::scale",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<3>>(exec, {0, 0, 0}, {n, c, d}),
      KOKKOS_LAMBDA(int p, int ch, int i) {
        out(p, ch, i) = scale(i) * in(p, ch, i) + (with_shift && ch == 0 ? shift(i) : Real(0));
      });
}

}  // namespace

InputScaling::InputScaling(std::string name, const std::vector<double>& lower,
                           const std::vector<double>& upper, const std::string& key)
    : Layer(std::move(name), static_cast<int>(lower.size()), static_cast<int>(lower.size())) {
  PINNKIT_CHECK(lower.size() == upper.size(), "InputScaling: bounds of different lengths");
  scale_ = View1<Real>("pinnkit::models::InputScaling::scale", lower.size());
  shift_ = View1<Real>("pinnkit::models::InputScaling::shift", lower.size());
  auto hs = Kokkos::create_mirror_view(scale_);
  auto ht = Kokkos::create_mirror_view(shift_);
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (!(lower[i] < upper[i])) {
      std::ostringstream s;
      s << "expected lower < upper for input " << i << ", got [" << lower[i] << ", "
        << upper[i] << "]";
      throw InputError(input_message("", key, s.str()));
    }
    hs(i) = static_cast<Real>(2.0 / (upper[i] - lower[i]));
    ht(i) = static_cast<Real>(-(upper[i] + lower[i]) / (upper[i] - lower[i]));
  }
  Kokkos::deep_copy(scale_, hs);
  Kokkos::deep_copy(shift_, ht);
}

void InputScaling::do_forward(const ExecSpace& exec, const JetSpec& /*spec*/, ConstJets in,
                              Jets out) {
  scale_jets(exec, scale_, shift_, in, out);
}

void InputScaling::do_backward(const ExecSpace& exec, const JetSpec& /*spec*/, ConstJets out_adj,
                               Jets in_adj) {
  // The adjoint of an affine map is its linear part: scale only, no shift.
  if (in_adj.data() != nullptr) scale_jets(exec, scale_, View1<Real>(), out_adj, in_adj);
}

}  // namespace pinnkit::models
