#pragma once
/// \brief Host-side least-squares fits of B-spline coefficients (Eigen): the
/// KAN initialisation (fit of small noise at the grid points) and the refit
/// after a grid update (preserve the layer function at sample points).
#include <Eigen/Dense>
#include <vector>

#include "models/bspline.hpp"

namespace pinnkit::models {

/// M x K matrix of the bases of `grid` at the points `xs` (row m = B_k(xs[m])).
Eigen::MatrixXd spline_design_matrix(const SplineGrid& grid, const std::vector<double>& xs);

/// Coefficients C (K x R) minimising ||B C - values||_F, B the design matrix
/// at `xs`, values M x R (one column per curve). The minimum-norm solution
/// (complete orthogonal decomposition) when the points leave bases
/// undetermined, like torch.linalg.lstsq in pykan / efficient-kan.
Eigen::MatrixXd fit_spline_coefficients(const SplineGrid& grid, const std::vector<double>& xs,
                                        const Eigen::MatrixXd& values);

/// The G+1 grid points a, a+h, ..., b of `grid`.
std::vector<double> grid_points(const SplineGrid& grid);

}  // namespace pinnkit::models
