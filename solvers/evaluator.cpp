#include "solvers/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "solvers/objective.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::solvers {

namespace {

// Not a run's seed (those start at 0 or 1 in practice), so the evaluation
// points are not the first collocation points of a Sobol run.
constexpr std::uint64_t evaluation_seed = 20221108;

/// Row-major grid over the bounding box with n_a points per axis, endpoints
/// included, keeping the points inside the domain (holes of a CSG shape drop out).
std::vector<double> grid_points(const pde::Geometry& box, const std::vector<int>& per_axis) {
  const int d = box.dim();
  std::vector<int> n(d, per_axis.empty() ? 101 : per_axis.back());
  for (int a = 0; a < d && a < static_cast<int>(per_axis.size()); ++a) n[a] = per_axis[a];
  std::size_t total = 1;
  for (int a = 0; a < d; ++a) total *= n[a];
  std::vector<double> pts, x(d);
  pts.reserve(total * d);
  for (std::size_t i = 0; i < total; ++i) {
    std::size_t rest = i;
    for (int a = d - 1; a >= 0; --a) {
      const int k = static_cast<int>(rest % n[a]);
      rest /= n[a];
      x[a] = box.lower()[a] + (box.upper()[a] - box.lower()[a]) * k / (n[a] - 1);
    }
    if (box.contains(x)) pts.insert(pts.end(), x.begin(), x.end());
  }
  return pts;
}

/// n Sobol points inside the domain from a fixed seed: the same evaluation
/// set for every run, whatever its seed and sampler.
std::vector<double> sample_points(const pde::Geometry& domain, int n) {
  UnitSampler sampler("sobol", domain.dim(), evaluation_seed);
  const pde::UnitSource source{[&](int m) { return sampler.next(m); }, false};
  return domain.sample_interior(n, source);
}

View2<Real> device_table(const std::string& label, const std::vector<double>& host, int columns) {
  const int rows = static_cast<int>(host.size() / columns);
  View2<Real> v(label, rows, columns);
  auto h = Kokkos::create_mirror_view(v);
  for (int i = 0; i < rows; ++i)
    for (int c = 0; c < columns; ++c) h(i, c) = static_cast<Real>(host[static_cast<std::size_t>(i) * columns + c]);
  Kokkos::deep_copy(v, h);
  return v;
}

/// Sum of the squares of every entry, on the host in row order (as evaluate() sums them).
double sum_of_squares(const View2<Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  double sum = 0;
  for (std::size_t i = 0; i < h.extent(0); ++i)
    for (std::size_t k = 0; k < h.extent(1); ++k) sum += static_cast<double>(h(i, k)) * static_cast<double>(h(i, k));
  return sum;
}

}  // namespace

Evaluator::Evaluator(const pde::Problem& problem, const EvaluationSpec& spec, const std::string& source)
    : problem_(problem) {
  const int d = problem.input_dim();
  const pde::ReferenceData* data = problem.reference_data();
  if (spec.points == "reference" && data) {
    points_ = device_table("pinnkit::solvers::Evaluator::points", data->points, d);
    u_ref_ = device_table("pinnkit::solvers::Evaluator::u_ref", data->values, problem.output_dim());
    has_ref_ = true;
    ref_norm2_ = sum_of_squares(u_ref_);
    return;
  }
  if (spec.points != "reference" && data && !problem.has_exact())
    throw InputError(input_message(source, "evaluation.points",
                                   "expected `reference` (this problem's reference solution is known only at the "
                                   "points of " + data->source + "), got " + spec.points));
  points_ = device_table("pinnkit::solvers::Evaluator::points",
                         spec.points == "sample" ? sample_points(problem.domain(), spec.samples)
                                                 : grid_points(problem.domain(), spec.grid),
                         d);
  if (problem.has_exact()) {
    u_ref_ = View2<Real>("pinnkit::solvers::Evaluator::u_ref", points_.extent(0), problem.output_dim());
    problem.exact(ExecSpace(), points_, u_ref_);
    has_ref_ = true;
    check_finite_reference(source);
  }
  if (has_ref_) ref_norm2_ = sum_of_squares(u_ref_);
}

void Evaluator::check_finite_reference(const std::string& source) const {
  // An exact solution like 1/x that is infinite or NaN on an evaluation
  // point would make every error NaN: refuse it before training.
  auto h_ref = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u_ref_);
  auto h_pts = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), points_);
  for (std::size_t i = 0; i < h_ref.extent(0); ++i)
    for (std::size_t k = 0; k < h_ref.extent(1); ++k) {
      if (std::isfinite(static_cast<double>(h_ref(i, k)))) continue;
      const auto& inputs = problem_.domain().names();
      std::string at;
      for (std::size_t a = 0; a < h_pts.extent(1); ++a)
        at += (a ? ", " : "") + (a < inputs.size() ? inputs[a] + " = " : std::string()) +
              std::to_string(static_cast<double>(h_pts(i, a)));
      const std::string output = k < problem_.output_names().size() ? problem_.output_names()[k] : "";
      throw InputError(input_message(source, "problem.exact",
                                     "expected an exact solution that is finite on every evaluation point, got " +
                                         std::to_string(static_cast<double>(h_ref(i, k))) + " for " + output +
                                         " at (" + at + "); change the expression or evaluation.grid"));
    }
}

template <class F>
void Evaluator::forward_in_chunks(const ExecSpace& exec, models::Model& model, F&& f) const {
  const int m = point_count();
  const JetSpec value_only(problem_.input_dim());
  const int chunk = std::max(1, cache_chunk_points(model, value_only));
  for (int r0 = 0; r0 < m; r0 += chunk) {
    const int r1 = std::min(m, r0 + chunk);
    f(r0, r1, model.forward(exec, value_only, Kokkos::subview(points_, Kokkos::make_pair(r0, r1), Kokkos::ALL)));
  }
}

Evaluation Evaluator::evaluate(const ExecSpace& exec, models::Model& model) const {
  const int m = point_count(), d = problem_.input_dim(), o = problem_.output_dim();
  Evaluation e;
  e.points = m;
  e.inputs = d;
  e.outputs = o;
  e.x.resize(static_cast<std::size_t>(m) * d);
  e.u_pred.resize(static_cast<std::size_t>(m) * o);
  forward_in_chunks(exec, model, [&](int r0, int r1, models::ConstJets out) {
    auto h_out = Kokkos::create_mirror_view(out);
    Kokkos::deep_copy(exec, h_out, out);
    exec.fence();
    for (int i = r0; i < r1; ++i)
      for (int k = 0; k < o; ++k) e.u_pred[static_cast<std::size_t>(i) * o + k] = h_out(i - r0, 0, k);
  });
  auto h_pts = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), points_);
  for (int i = 0; i < m; ++i)
    for (int a = 0; a < d; ++a) e.x[static_cast<std::size_t>(i) * d + a] = h_pts(i, a);
  if (has_ref_) {
    auto h_ref = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u_ref_);
    e.u_ref.resize(e.u_pred.size());
    double err2 = 0, ref2 = 0;
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < o; ++k) {
        const double ref = h_ref(i, k), diff = e.u_pred[i * o + k] - ref;
        e.u_ref[i * o + k] = ref;
        err2 += diff * diff;
        ref2 += ref * ref;
        e.max_abs_err = std::max(e.max_abs_err, std::abs(diff));
      }
    e.rel_l2 = ref2 > 0 ? std::sqrt(err2 / ref2) : std::sqrt(err2);
  }
  return e;
}

double Evaluator::rel_l2(const ExecSpace& exec, models::Model& model) const {
  if (!has_ref_) return std::numeric_limits<double>::quiet_NaN();
  const int m = point_count(), o = problem_.output_dim();
  const int chunk = std::max(1, cache_chunk_points(model, JetSpec(problem_.input_dim())));
  const int chunks = (m + chunk - 1) / chunk;
  if (static_cast<int>(err_sums_.extent(0)) < chunks)
    err_sums_ = View1<double>("pinnkit::solvers::Evaluator::err_sums", chunks);
  const auto u_ref = u_ref_;
  int c = 0;
  forward_in_chunks(exec, model, [&](int r0, int r1, models::ConstJets out) {
    Kokkos::parallel_reduce(
        "pinnkit::solvers::Evaluator::rel_l2", Kokkos::RangePolicy<ExecSpace>(exec, r0, r1),
        KOKKOS_LAMBDA(int i, double& sum) {
          for (int k = 0; k < o; ++k) {
            const double diff = static_cast<double>(out(i - r0, 0, k)) - static_cast<double>(u_ref(i, k));
            sum += diff * diff;
          }
        },
        Kokkos::subview(err_sums_, c++));
  });
  auto h = Kokkos::create_mirror_view(err_sums_);
  Kokkos::deep_copy(exec, h, err_sums_);
  exec.fence();
  double err2 = 0;
  for (int k = 0; k < chunks; ++k) err2 += h(k);
  return ref_norm2_ > 0 ? std::sqrt(err2 / ref_norm2_) : std::sqrt(err2);
}

}  // namespace pinnkit::solvers
