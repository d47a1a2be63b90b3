#include "solvers/observation_report.hpp"

#include <algorithm>
#include <cmath>

namespace pinnkit::solvers {

ObservationReport report_observations(const ExecSpace& exec, models::Model& model, const pde::Problem& problem) {
  ObservationReport r;
  const pde::Observations* obs = problem.observations();
  if (!obs) return r;
  const int n = obs->count(), d = problem.input_dim(), m = static_cast<int>(obs->outputs.size());
  r.count = n;
  r.inputs = d;
  r.outputs = obs->outputs;
  r.points = obs->points;
  r.values = obs->values;
  View2<Real> points("pinnkit::solvers::report_observations::points", n, d);
  auto hp = Kokkos::create_mirror_view(points);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < d; ++a) hp(i, a) = static_cast<Real>(obs->points[i * d + a]);
  Kokkos::deep_copy(points, hp);
  const auto out = model.forward(exec, JetSpec(d), points);
  auto h_out = Kokkos::create_mirror_view_and_copy(HostSpace(), out);
  const auto names = problem.output_names();
  double sum = 0;
  r.u_pred.resize(static_cast<std::size_t>(n) * m);
  for (int j = 0; j < m; ++j) {
    const int o = static_cast<int>(std::find(names.begin(), names.end(), obs->outputs[j]) - names.begin());
    for (int i = 0; i < n; ++i) {
      r.u_pred[i * m + j] = h_out(i, 0, o);
      const double e = r.u_pred[i * m + j] - obs->values[i * m + j];
      sum += e * e;
    }
  }
  r.rms_misfit = std::sqrt(sum / std::max(1, n * m));
  return r;
}

}  // namespace pinnkit::solvers
