#include <gtest/gtest.h>

#include <cmath>

#include "pde/poisson.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {
View2<Real> device_matrix(int rows, int cols, const std::vector<double>& v) {
  View2<Real> m("m", rows, cols);
  auto h = Kokkos::create_mirror_view(m);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) h(i, j) = v[i * cols + j];
  Kokkos::deep_copy(m, h);
  return m;
}
}  // namespace

// Substituting the exact solution's second derivatives, u_{x_i x_i} =
// -(a pi)^2 u, must make the residual vanish; any error in the source term's
// scale or sign would not.
TEST(Poisson, ResidualVanishesOnTheExactSolutionInEveryDimension) {
  for (int dim = 1; dim <= 3; ++dim) {
    const double a = 1.5, api = a * M_PI;
    Poisson problem(dim, a);
    const auto& pde = *problem.terms().at(0).residual;
    // One read, the Laplacian over every axis (one jet channel for it).
    ASSERT_EQ(pde.reads().size(), 1u);
    ASSERT_EQ(static_cast<int>(pde.reads()[0].laplacian.size()), dim);
    const std::vector<double> pts{0.3, -0.7, 0.11, -0.2, 0.9, 0.45};
    const int n = 2;
    std::vector<double> p(pts.begin(), pts.begin() + n * dim);
    auto points = device_matrix(n, dim, p);
    View2<Real> u("u", n, 1);
    problem.exact(ExecSpace(), points, u);
    auto hu = Kokkos::create_mirror_view_and_copy(HostSpace(), u);
    std::vector<double> values;
    for (int i = 0; i < n; ++i) values.push_back(-dim * api * api * hu(i, 0));
    View1<Real> r("r", n);
    View2<Real> dr("dr", n, 1);
    pde.evaluate(ExecSpace(), points, device_matrix(n, 1, values), r, dr);
    auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    auto hdr = Kokkos::create_mirror_view_and_copy(HostSpace(), dr);
    for (int i = 0; i < n; ++i) {
      double expected_u = 1;
      for (int k = 0; k < dim; ++k) expected_u *= std::sin(api * p[i * dim + k]);
      EXPECT_NEAR(hu(i, 0), expected_u, testing::tol(1e-14));
      EXPECT_NEAR(hr(i), 0.0, testing::tol(1e-12)) << "dim " << dim;
      EXPECT_EQ(hdr(i, 0), -1.0);
    }
  }
}

TEST(Poisson, BoundaryTermReadsTheValueAndTheFactoryKnowsTheCatalogName) {
  Poisson problem(2, 1.0);
  ASSERT_EQ(problem.terms().size(), 2u);
  EXPECT_EQ(problem.terms()[1].name, "boundary");
  EXPECT_EQ(problem.terms()[1].residual->reads().at(0).alpha, (MultiIndex{0, 0}));
  ProblemSpec spec;
  spec.pde = "poisson2d";
  spec.params = {{"a", 2.0}};
  EXPECT_EQ(make_problem(spec)->input_dim(), 2);
}

}  // namespace pinnkit::pde
