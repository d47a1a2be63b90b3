#include "models/bspline_fit.hpp"

#include "core/error.hpp"

namespace pinnkit::models {

Eigen::MatrixXd spline_design_matrix(const SplineGrid& grid, const std::vector<double>& xs) {
  const int K = grid.basis_count();
  Eigen::MatrixXd B = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(xs.size()), K);
  for (std::size_t m = 0; m < xs.size(); ++m) {
    const LocalBasis b = eval_local_basis(grid, static_cast<Real>(xs[m]), 0);
    for (int j = 0; j <= grid.degree; ++j) {
      if (b.exists(j, K)) B(static_cast<Eigen::Index>(m), b.first + j) = b.d[0][j];
    }
  }
  return B;
}

Eigen::MatrixXd fit_spline_coefficients(const SplineGrid& grid, const std::vector<double>& xs,
                                        const Eigen::MatrixXd& values) {
  PINNKIT_CHECK(values.rows() == static_cast<Eigen::Index>(xs.size()),
                "one row of values per point");
  const Eigen::MatrixXd B = spline_design_matrix(grid, xs);
  Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(B);
  return cod.solve(values);
}

std::vector<double> grid_points(const SplineGrid& grid) {
  std::vector<double> pts(static_cast<std::size_t>(grid.intervals) + 1);
  for (int i = 0; i <= grid.intervals; ++i) pts[static_cast<std::size_t>(i)] = grid.knot(i + grid.degree);
  pts.back() = grid.hi;  // exact right end despite rounding
  return pts;
}

}  // namespace pinnkit::models
