// Every catalog problem with an exact solution must satisfy its own
// equations and conditions: each loss term's residual, fed with derivatives
// of the exact solution (central finite differences), vanishes on points of
// its own point set. A wrong coefficient, sign or source term would not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pde/catalog.hpp"
#include "pde/problem.hpp"
#include "pde/space_time.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::pde {

namespace {

/// Exact solution (first output) at host points (n x d).
std::vector<double> exact_at(const Problem& p, const std::vector<double>& x, int d) {
  const int n = static_cast<int>(x.size()) / d;
  View2<Real> pts("pts", n, d);
  auto h = Kokkos::create_mirror_view(pts);
  for (int i = 0; i < n * d; ++i) h.data()[i] = x[i];
  Kokkos::deep_copy(pts, h);
  View2<Real> u("u", n, p.output_dim());
  p.exact(ExecSpace(), pts, u);
  auto hu = Kokkos::create_mirror_view_and_copy(HostSpace(), u);
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) out[i] = hu(i, 0);
  return out;
}

/// D^alpha u at x by central differences (orders 0..2), h = 1e-3.
double derivative(const Problem& p, std::vector<double> x, const MultiIndex& alpha) {
  const int d = static_cast<int>(x.size());
  const double h = 1e-3;
  std::vector<int> axes;
  for (int a = 0; a < d; ++a)
    for (int k = 0; k < alpha[a]; ++k) axes.push_back(a);
  // Sum over the 2^order corner points of the stencil, signs by parity.
  const int order = static_cast<int>(axes.size());
  std::vector<double> pts;
  std::vector<double> sign;
  for (int mask = 0; mask < (1 << order); ++mask) {
    std::vector<double> y = x;
    double s = 1;
    for (int k = 0; k < order; ++k) {
      const bool plus = (mask >> k) & 1;
      y[axes[k]] += plus ? h : -h;
      if (!plus) s = -s;
    }
    pts.insert(pts.end(), y.begin(), y.end());
    sign.push_back(s);
  }
  const auto u = exact_at(p, pts, d);
  double sum = 0;
  for (std::size_t i = 0; i < u.size(); ++i) sum += sign[i] * u[i];
  return sum / std::pow(2 * h, order);
}

std::vector<double> points_of(const Problem& p, const LossTerm& term, int n) {
  solvers::UnitSampler sampler("sobol", p.input_dim(), 1);
  const UnitSource source{[&](int m) { return sampler.next(m); }, false};
  const auto& g = p.domain();
  if (term.where == PointSet::interior) return g.sample_interior(n, source);
  if (term.where == PointSet::initial) return dynamic_cast<const SpaceTime&>(g).sample_initial(n, source);
  const auto b = g.sample_boundary(4 * n, source);
  std::vector<double> kept;
  const int d = g.dim();
  for (std::size_t i = 0; i < b.part.size(); ++i)
    if (term.parts.empty() || std::count(term.parts.begin(), term.parts.end(), b.part[i]))
      kept.insert(kept.end(), b.points.begin() + i * d, b.points.begin() + (i + 1) * d);
  return kept;
}

}  // namespace

class CatalogProblem : public ::testing::TestWithParam<std::string> {};

TEST_P(CatalogProblem, EveryTermVanishesOnTheExactSolution) {
  const ProblemInfo* info = find_problem(GetParam());
  ASSERT_NE(info, nullptr);
  ProblemSpec spec;
  spec.pde = info->name;
  spec.params = info->default_params;
  for (auto& [name, value] : spec.params) value *= 1.5;  // not only the defaults
  const auto problem = make_problem(spec, "catalog");
  ASSERT_TRUE(problem->has_exact());
  const int d = problem->input_dim();
  for (const auto& term : problem->terms()) {
    const auto x = points_of(*problem, term, 6);
    ASSERT_FALSE(x.empty()) << term.name;
    const int n = static_cast<int>(x.size()) / d;
    const auto& reads = term.residual->reads();
    View2<Real> pts("pts", n, d), values("values", n, reads.size()), dr("dr", n, reads.size());
    View1<Real> r("r", n);
    auto hp = Kokkos::create_mirror_view(pts);
    auto hv = Kokkos::create_mirror_view(values);
    for (int i = 0; i < n; ++i) {
      std::vector<double> xi(x.begin() + i * d, x.begin() + (i + 1) * d);
      for (int a = 0; a < d; ++a) hp(i, a) = xi[a];
      for (std::size_t j = 0; j < reads.size(); ++j) hv(i, j) = derivative(*problem, xi, reads[j].alpha);
    }
    Kokkos::deep_copy(pts, hp);
    Kokkos::deep_copy(values, hv);
    term.residual->evaluate(ExecSpace(), pts, values, r, dr);
    auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    // Finite-difference error: h^2 u'''' / 12 with |u''''| <= (1.5 pi)^4 ~ 500.
    for (int i = 0; i < n; ++i) EXPECT_NEAR(hr(i), 0.0, 2e-3) << info->name << " " << term.name << " point " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllWithExactSolutions, CatalogProblem,
                         ::testing::Values("poisson1d", "poisson2d", "poisson3d", "helmholtz2d", "heat1d"));

TEST(Catalog, EveryEntryButCustomBuildsFromItsDefaults) {
  for (const auto& info : catalog()) {
    if (info.name == "custom") continue;
    ProblemSpec spec;
    spec.pde = info.name;
    spec.params = info.default_params;
    EXPECT_NO_THROW(make_problem(spec)) << info.name;
  }
}

}  // namespace pinnkit::pde
