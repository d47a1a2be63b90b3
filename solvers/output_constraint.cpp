#include "solvers/output_constraint.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "models/activation_jets.hpp"
#include "pde/expr_compile.hpp"
#include "pde/expr_taylor.hpp"

namespace pinnkit::solvers {

namespace {

std::string entry_path(std::size_t i, std::size_t count) {
  return "model.hard_constraint" + (count > 1 ? "[" + std::to_string(i) + "]" : std::string());
}

/// g or d along one direction: the series of the expression at x(s), whose
/// coordinates' coefficients are the input jets (channel 0, then z_1..z_K of
/// the direction starting at channel `c1`; order 0 = constants).
template <int KMax, class InputJets>
KOKKOS_INLINE_FUNCTION pde::series::Taylor<KMax> along(const pde::ExprDeviceProgram& program,
                                                       const InputJets& x, int p, int c1, int order) {
  using T = pde::series::Taylor<KMax>;
  auto input = [&](int i) {
    T t(x(p, 0, i));
    for (int k = 1; k <= order; ++k) t.c[k] = x(p, c1 + k - 1, i);
    return t;
  };
  auto no_read = [](int) { return T(); };
  return program.template operator()<T>(input, no_read);
}

/// The forward kernel of constraint `ci` (output o) at jet order up to
/// KMax. A function of its own: nvcc allows no device lambda inside the
/// generic lambda of dispatch_max_order.
template <int KMax>
void constraint_forward(const ExecSpace& exec, const JetLayout& layout, int n, int ci, int o,
                        const pde::ExprDeviceProgram& value, const pde::ExprDeviceProgram& distance,
                        const models::ConstJets& x, const models::ConstJets& in, const models::Jets& out,
                        const models::Jets& dist) {
  Kokkos::parallel_for(
      "pinnkit::solvers::OutputConstraint::forward", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int p) {
        const Real n0 = in(p, 0, o);
        // Channel 0 from constant inputs, the same value every direction starts with.
        const auto g0 = along<KMax>(value, x, p, 0, 0);
        const auto d0 = along<KMax>(distance, x, p, 0, 0);
        out(p, 0, o) = g0.c[0] + d0.c[0] * n0;
        dist(p, 0, ci) = d0.c[0];
        // L of g + d N (collapsed Laplacian): sums over the Laplacian's
        // directions of g's and d's second coefficients along each (their
        // order-KMax series below carry them; the input jets are straight
        // lines), plus the cross terms d_1 N_1.
        Real lap_g = 0, lap_d = 0, lap_cross = 0;
        for (int dir = 0; dir < layout.directions; ++dir) {
          const int c1 = layout.first_channel[dir], order = layout.order[dir];
          const auto g = along<KMax>(value, x, p, c1, order);
          const auto d = along<KMax>(distance, x, p, c1, order);
          for (int k = 1; k <= order; ++k) {
            Real u = g.c[k] + d.c[k] * n0;
            for (int j = 1; j <= k; ++j) u += d.c[k - j] * in(p, c1 + j - 1, o);
            out(p, c1 + k - 1, o) = u;
            dist(p, c1 + k - 1, ci) = d.c[k];
          }
          if constexpr (KMax >= 2) {
            if (layout.sums_into_laplacian(c1)) {
              lap_g += g.c[2];
              lap_d += d.c[2];
              lap_cross += d.c[1] * in(p, c1, o);
            }
          }
        }
        if (layout.has_laplacian()) {
          const int lc = layout.laplacian_channel;
          out(p, lc, o) = lap_g + d0.c[0] * in(p, lc, o) + lap_d * n0 + lap_cross;
          dist(p, lc, ci) = lap_d;
        }
      });
}

}  // namespace

std::vector<CompiledConstraint> compile_hard_constraints(
    const std::vector<models::HardConstraintSpec>& specs, const std::vector<std::string>& inputs,
    const std::vector<std::string>& outputs, const std::map<std::string, double>& parameters,
    const std::string& source) {
  const pde::ExprSymbols symbols{inputs, {}, parameters, {}};
  std::vector<CompiledConstraint> compiled;
  std::vector<bool> taken(outputs.size(), false);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const std::string path = entry_path(i, specs.size());
    CompiledConstraint c;
    if (s.output.empty()) {
      if (i >= outputs.size())
        throw InputError(input_message(source, path + ".output",
                                       "expected an output name (the problem has " + std::to_string(outputs.size()) +
                                           " outputs, so entry " + std::to_string(i) + " has none at its position), got nothing"));
      c.output = static_cast<int>(i);
    } else {
      const auto it = std::find(outputs.begin(), outputs.end(), s.output);
      if (it == outputs.end()) {
        throw InputError(input_message(source, path + ".output",
                                       "expected one of the outputs " + join(outputs) + ", got '" + s.output + "'"));
      }
      c.output = static_cast<int>(it - outputs.begin());
    }
    if (taken[c.output])
      throw InputError(input_message(source, path + ".output",
                                     "expected each output constrained once, got '" + outputs[c.output] + "' again"));
    taken[c.output] = true;
    if (s.distance.empty())
      throw InputError(input_message(source, path + ".distance",
                                     "expected an expression that vanishes where the value is prescribed, got nothing"));
    c.value = pde::compile_expression({s.value, source + ": " + path + ".value"}, symbols);
    c.distance = pde::compile_expression({s.distance, source + ": " + path + ".distance"}, symbols);
    compiled.push_back(std::move(c));
  }
  return compiled;
}

OutputConstraint::OutputConstraint(int outputs, std::vector<CompiledConstraint> constraints,
                                   std::function<models::ConstJets()> model_input)
    : Layer("output_constraint", outputs, outputs), model_input_(std::move(model_input)) {
  PINNKIT_CHECK(!constraints.empty(), "OutputConstraint without constraints");
  for (const auto& c : constraints) {
    PINNKIT_CHECK(c.output >= 0 && c.output < outputs, "OutputConstraint: output out of range");
    constraints_.push_back({c.output, pde::ExprDeviceProgram(c.value), pde::ExprDeviceProgram(c.distance)});
  }
}

void OutputConstraint::do_forward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in,
                                  models::Jets out) {
  forward_kernels(exec, spec, in, out);
}

void OutputConstraint::do_backward(const ExecSpace& exec, const JetSpec& spec, models::ConstJets out_adj,
                                   models::Jets in_adj) {
  if (in_adj.data() == nullptr) return;  // no parameters, nothing else to do
  backward_kernels(exec, spec, out_adj, in_adj);
}

void OutputConstraint::forward_kernels(const ExecSpace& exec, const JetSpec& spec, models::ConstJets in,
                                       models::Jets out) {
  const models::ConstJets x = model_input_();
  const int n = static_cast<int>(in.extent(0)), channels = spec.channels();
  PINNKIT_CHECK(static_cast<int>(x.extent(0)) == n && static_cast<int>(x.extent(1)) == channels,
                "OutputConstraint: the model's input jets do not match the forward pass");
  const int count = static_cast<int>(constraints_.size());
  const std::size_t size = static_cast<std::size_t>(n) * channels * count;
  if (distance_storage_.extent(0) < size)
    distance_storage_ = View1<Real>(
        Kokkos::view_alloc(std::string("pinnkit::solvers::OutputConstraint::distance_jets"), Kokkos::WithoutInitializing),
        size);
  distance_jets_ = models::Jets(distance_storage_.data(), n, channels, count);
  Kokkos::deep_copy(exec, out, in);  // unconstrained outputs pass through
  const JetLayout layout = spec.layout();
  auto dist = distance_jets_;
  for (int ci = 0; ci < count; ++ci) {
    const Device c = constraints_[ci];
    models::detail::dispatch_max_order(layout, [&](auto kmax) {
      constraint_forward<decltype(kmax)::value>(exec, layout, n, ci, c.output, c.value, c.distance, x, in,
                                                out, dist);
    });
  }
}

void OutputConstraint::backward_kernels(const ExecSpace& exec, const JetSpec& spec, models::ConstJets out_adj,
                                        models::Jets in_adj) {
  const int n = static_cast<int>(out_adj.extent(0));
  const JetLayout layout = spec.layout();
  auto dist = distance_jets_;
  Kokkos::deep_copy(exec, in_adj, out_adj);  // unconstrained outputs pass through
  for (int ci = 0; ci < static_cast<int>(constraints_.size()); ++ci) {
    const int o = constraints_[ci].output;
    Kokkos::parallel_for(
        "pinnkit::solvers::OutputConstraint::backward", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
        KOKKOS_LAMBDA(int p) {
          Real bar0 = out_adj(p, 0, o) * dist(p, 0, ci);
          for (int dir = 0; dir < layout.directions; ++dir) {
            const int c1 = layout.first_channel[dir], order = layout.order[dir];
            // d_k of this direction: channel 0 for k = 0, else its own channels.
            auto d = [&](int k) { return k == 0 ? dist(p, 0, ci) : dist(p, c1 + k - 1, ci); };
            for (int k = 1; k <= order; ++k) bar0 += out_adj(p, c1 + k - 1, o) * d(k);
            for (int j = 1; j <= order; ++j) {
              Real s = 0;
              for (int k = j; k <= order; ++k) s += out_adj(p, c1 + k - 1, o) * d(k - j);
              in_adj(p, c1 + j - 1, o) = s;
            }
          }
          if (layout.has_laplacian()) {
            // After the directions: adds to their z_1 adjoints.
            const int lc = layout.laplacian_channel;
            const Real lbar = out_adj(p, lc, o);
            bar0 += lbar * dist(p, lc, ci);
            for (int t = 0; t < layout.laplacian_terms; ++t) {
              const int c1 = layout.laplacian_first[t];
              in_adj(p, c1, o) += lbar * dist(p, c1, ci);
            }
            in_adj(p, lc, o) = lbar * dist(p, 0, ci);
          }
          in_adj(p, 0, o) = bar0;
        });
  }
}

void append_output_constraint(models::Model& model, std::vector<CompiledConstraint> constraints) {
  if (constraints.empty()) return;
  models::Model* m = &model;
  model.add(std::make_unique<OutputConstraint>(model.out_dim(), std::move(constraints),
                                               [m] { return m->jets(0); }));
}

}  // namespace pinnkit::solvers
