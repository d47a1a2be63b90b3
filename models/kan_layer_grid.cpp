// KanLayer on the host: initialisation (efficient-kan / pykan) and grid
// update from samples, both least-squares fits with Eigen (bspline_fit.hpp).
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "models/bspline_fit.hpp"
#include "models/kan_layer.hpp"

namespace pinnkit::models {

namespace {

// Flat row-major index of A[q, p, k].
std::size_t coef_index(int q, int p, int k, int n_in, int K) {
  return (static_cast<std::size_t>(q) * n_in + p) * K + k;
}

}  // namespace

SplineGrid KanLayer::grid(int p) const {
  PINNKIT_CHECK(p >= 0 && p < in_features(), "KanLayer::grid: input index out of range");
  const std::vector<double> g = store().block_to_host(block_name("grid"));
  return SplineGrid{static_cast<Real>(g[2 * p]), static_cast<Real>(g[2 * p + 1]), opt_.grid,
                    opt_.degree};
}

void KanLayer::initialize_edge_blocks(std::uint64_t seed) {
  const int n_in = in_features();
  ParamStore& s = store();
  std::vector<double> g(2 * static_cast<std::size_t>(n_in));
  for (int p = 0; p < n_in; ++p) {
    g[2 * p] = opt_.grid_lo;
    g[2 * p + 1] = opt_.grid_hi;
  }
  s.block_from_host(block_name("grid"), g);
  // Base weights as torch.nn.Linear / efficient-kan: kaiming-uniform with
  // a = sqrt(5), i.e. gain sqrt(1/3), bound 1/sqrt(n_in).
  if (opt_.base)
    s.initialize(block_name("base"), Initializer::kaiming_uniform(n_in, std::sqrt(1.0 / 3.0)),
                 seed);
  if (opt_.scale) s.initialize(block_name("scale"), Initializer::constant(1.0), seed);
}

void KanLayer::do_initialize_params(std::uint64_t seed) {
  const int n_out = out_features(), n_in = in_features(), K = basis_count();
  ParamStore& s = store();
  initialize_edge_blocks(seed);

  // Spline coefficients: least-squares fit of small noise at the G+1 grid
  // points, one curve per edge (q, p). G+1 < K points: the minimum-norm fit.
  HostRng rng(block_name("coef"), seed);
  const SplineGrid grid0{static_cast<Real>(opt_.grid_lo), static_cast<Real>(opt_.grid_hi),
                         opt_.grid, opt_.degree};
  const std::vector<double> xs = grid_points(grid0);
  const double amplitude = opt_.noise_scale / opt_.grid;
  Eigen::MatrixXd noise(static_cast<Eigen::Index>(xs.size()),
                        static_cast<Eigen::Index>(n_out) * n_in);
  for (Eigen::Index i = 0; i < noise.size(); ++i) noise(i) = (rng.uniform01() - 0.5) * amplitude;
  const Eigen::MatrixXd fit = fit_spline_coefficients(grid0, xs, noise);  // K x (n_out*n_in)
  std::vector<double> coef(static_cast<std::size_t>(n_out) * n_in * K);
  for (int q = 0; q < n_out; ++q)
    for (int p = 0; p < n_in; ++p)
      for (int k = 0; k < K; ++k) coef[coef_index(q, p, k, n_in, K)] = fit(k, q * n_in + p);
  s.block_from_host(block_name("coef"), coef);
}

void KanLayer::update_grid_from_samples(View2<const Real> samples) {
  PINNKIT_CHECK(static_cast<int>(samples.extent(1)) == in_features(),
                "KanLayer::update_grid_from_samples: samples must be M x n_in");
  const int M = static_cast<int>(samples.extent(0));
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), samples);
  std::vector<double> x(static_cast<std::size_t>(M) * in_features());
  for (int m = 0; m < M; ++m)
    for (int p = 0; p < in_features(); ++p) x[m * in_features() + p] = h(m, p);
  update_grid_host(x, M);
}

void KanLayer::update_grid_from_samples(ConstJets jets) {
  PINNKIT_CHECK(static_cast<int>(jets.extent(2)) == in_features(),
                "KanLayer::update_grid_from_samples: jets must be (M, C, n_in)");
  const int M = static_cast<int>(jets.extent(0));
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), jets);
  std::vector<double> x(static_cast<std::size_t>(M) * in_features());
  for (int m = 0; m < M; ++m)
    for (int p = 0; p < in_features(); ++p) x[m * in_features() + p] = h(m, 0, p);
  update_grid_host(x, M);
}

void KanLayer::update_grid_host(const std::vector<double>& samples, int M) {
  const int n_out = out_features(), n_in = in_features(), K = basis_count();
  if (M == 0) return;
  ParamStore& s = store();
  std::vector<double> g = s.block_to_host(block_name("grid"));
  std::vector<double> coef = s.block_to_host(block_name("coef"));

  std::vector<double> xs(static_cast<std::size_t>(M));
  for (int p = 0; p < n_in; ++p) {
    for (int m = 0; m < M; ++m) xs[m] = samples[static_cast<std::size_t>(m) * n_in + p];
    const auto [lo_it, hi_it] = std::minmax_element(xs.begin(), xs.end());
    const double width = *hi_it - *lo_it;
    // All samples equal (or not finite): nothing to place a grid on.
    if (!std::isfinite(width) || !(width > 1e-12 * std::max(1.0, std::abs(*lo_it)))) continue;
    const SplineGrid old_grid{static_cast<Real>(g[2 * p]), static_cast<Real>(g[2 * p + 1]),
                              opt_.grid, opt_.degree};
    const SplineGrid new_grid{static_cast<Real>(*lo_it - opt_.grid_margin * width),
                              static_cast<Real>(*hi_it + opt_.grid_margin * width), opt_.grid,
                              opt_.degree};

    // The spline part of every edge from input p at the samples (unscaled:
    // the scale w_s multiplies old and new coefficients alike).
    const Eigen::MatrixXd B_old = spline_design_matrix(old_grid, xs);
    Eigen::MatrixXd A_old(K, n_out);
    for (int q = 0; q < n_out; ++q)
      for (int k = 0; k < K; ++k) A_old(k, q) = coef[coef_index(q, p, k, n_in, K)];
    const Eigen::MatrixXd values = B_old * A_old;  // M x n_out
    const Eigen::MatrixXd A_new = fit_spline_coefficients(new_grid, xs, values);
    for (int q = 0; q < n_out; ++q)
      for (int k = 0; k < K; ++k) coef[coef_index(q, p, k, n_in, K)] = A_new(k, q);
    g[2 * p] = new_grid.lo;
    g[2 * p + 1] = new_grid.hi;
  }
  s.block_from_host(block_name("grid"), g);
  s.block_from_host(block_name("coef"), coef);
}

}  // namespace pinnkit::models
