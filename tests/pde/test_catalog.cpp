// Every catalog problem with an exact solution must satisfy its own
// equations and conditions: each loss term's residual, fed with derivatives
// of the exact solution (central finite differences), vanishes on points of
// its own point set. Periodic pair terms are checked on their pairs
// R(a) - R(b). A wrong coefficient, sign or source term would not vanish:
// the second half of this file checks that such mutations are caught.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "pde/allen_cahn_ball.hpp"
#include "pde/catalog.hpp"
#include "pde/custom_problem.hpp"
#include "pde/problem.hpp"
#include "pde/space_time.hpp"
#include "solvers/unit_sampler.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {

/// Exact solution (all outputs, n x m row-major) at host points (n x d).
std::vector<double> exact_at(const Problem& p, const std::vector<double>& x, int d) {
  const int n = static_cast<int>(x.size()) / d;
  const int m = p.output_dim();
  View2<Real> pts("pts", n, d);
  auto h = Kokkos::create_mirror_view(pts);
  for (int i = 0; i < n * d; ++i) h.data()[i] = x[i];
  Kokkos::deep_copy(pts, h);
  View2<Real> u("u", n, m);
  p.exact(ExecSpace(), pts, u);
  auto hu = Kokkos::create_mirror_view_and_copy(HostSpace(), u);
  std::vector<double> out(n * m);
  for (int i = 0; i < n; ++i)
    for (int o = 0; o < m; ++o) out[i * m + o] = hu(i, o);
  return out;
}

/// D^alpha of one output at x by central differences. The step balances
/// truncation (h^2) against rounding (eps / h^order).
double derivative(const Problem& p, std::vector<double> x, const Read& read) {
  if (!read.laplacian.empty()) {  // a sum of pure second derivatives
    double sum = 0;
    for (int a : read.laplacian) {
      Read second(read.output, MultiIndex(x.size(), 0));
      second.alpha[a] = 2;
      sum += derivative(p, x, second);
    }
    return sum;
  }
  const int d = static_cast<int>(x.size());
  std::vector<int> axes;
  for (int a = 0; a < d; ++a)
    for (int k = 0; k < read.alpha[a]; ++k) axes.push_back(a);
  const int order = static_cast<int>(axes.size());
  const double h = order <= 2 ? 1e-4 : 1e-3;
  // Sum over the 2^order corner points of the stencil, signs by parity.
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
  const int m = p.output_dim();
  double sum = 0;
  for (std::size_t i = 0; i < sign.size(); ++i) sum += sign[i] * u[i * m + read.output];
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

struct RowResidual {
  std::vector<double> r;      ///< residual per row
  std::vector<double> scale;  ///< sum_j |dr_j * read_j|: the size of the terms that cancel
};

/// The term's residual at host points x (n x d) on the exact solution's derivatives.
RowResidual residual_on_exact(const Problem& problem, const LossTerm& term, const std::vector<double>& x) {
  const int d = problem.input_dim();
  const int n = static_cast<int>(x.size()) / d;
  const auto& reads = term.residual->reads();
  View2<Real> pts("pts", n, d), values("values", n, reads.size()), dr("dr", n, reads.size());
  View1<Real> r("r", n);
  auto hp = Kokkos::create_mirror_view(pts);
  auto hv = Kokkos::create_mirror_view(values);
  for (int i = 0; i < n; ++i) {
    std::vector<double> xi(x.begin() + i * d, x.begin() + (i + 1) * d);
    for (int a = 0; a < d; ++a) hp(i, a) = xi[a];
    for (std::size_t j = 0; j < reads.size(); ++j) hv(i, j) = derivative(problem, xi, reads[j]);
  }
  Kokkos::deep_copy(pts, hp);
  Kokkos::deep_copy(values, hv);
  term.residual->evaluate(ExecSpace(), pts, values, r, dr);
  auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
  auto hd = Kokkos::create_mirror_view_and_copy(HostSpace(), dr);
  RowResidual out{std::vector<double>(n), std::vector<double>(n, 0.0)};
  for (int i = 0; i < n; ++i) {
    out.r[i] = hr(i);
    for (std::size_t j = 0; j < reads.size(); ++j) out.scale[i] += std::abs(hd(i, j) * hv(i, j));
  }
  return out;
}

/// Largest |residual| / tolerance over a term's points (<= 1: satisfied).
/// Tolerance: finite-difference error, absolute plus relative to the terms.
double worst_violation(const Problem& problem, const LossTerm& term) {
  auto x = points_of(problem, term, 6);
  EXPECT_FALSE(x.empty()) << term.name;
  RowResidual rows;
  if (const auto& pair = term.periodic) {
    const int d = problem.input_dim();
    auto images = x;
    for (std::size_t i = 0; i < x.size() / d; ++i) {
      x[i * d + pair->axis] = pair->lower;
      images[i * d + pair->axis] = pair->upper;
    }
    rows = residual_on_exact(problem, term, x);
    const auto b = residual_on_exact(problem, term, images);
    for (std::size_t i = 0; i < rows.r.size(); ++i) {
      rows.r[i] -= b.r[i];
      rows.scale[i] += b.scale[i];
    }
  } else {
    rows = residual_on_exact(problem, term, x);
  }
  double worst = 0;
  for (std::size_t i = 0; i < rows.r.size(); ++i)
    worst = std::max(worst, std::abs(rows.r[i]) / (2e-3 + 1e-4 * rows.scale[i]));
  return worst;
}

std::map<std::string, double> scaled_defaults(const ProblemInfo& info) {
  auto params = info.default_params;
  for (auto& [name, value] : params) value *= 1.5;  // not only the defaults
  return params;
}

/// The text of a read, e.g. u_xx or p_y.
std::string read_name(const Read& read, const std::vector<std::string>& inputs,
                      const std::vector<std::string>& outputs) {
  std::string s = outputs[read.output];
  std::string suffix;
  for (std::size_t a = 0; a < inputs.size(); ++a)
    for (int k = 0; k < read.alpha[a]; ++k) suffix += inputs[a];
  return suffix.empty() ? s : s + "_" + suffix;
}

}  // namespace

class CatalogProblem : public ::testing::TestWithParam<std::string> {};

TEST_P(CatalogProblem, EveryTermVanishesOnTheExactSolution) {
  // The reference derivatives are central differences of the exact solution,
  // which the problem evaluates in Real. In float the best second-order
  // stencil for a second derivative is off by ~eps^(1/2) times the fourth
  // derivative (~1e-2 for (k pi)^4 ~ 1e3), above the 2e-3 the check needs.
  if (!testing::real_is_double)
    GTEST_SKIP() << "finite differences of a float exact solution cannot resolve its second "
                    "and third derivatives to 2e-3";
  const ProblemInfo* info = find_problem(GetParam());
  ASSERT_NE(info, nullptr);
  ProblemSpec spec;
  spec.pde = info->name;
  spec.params = scaled_defaults(*info);
  const auto problem = make_problem(spec, "catalog");
  ASSERT_TRUE(problem->has_exact());
  for (const auto& term : problem->terms())
    EXPECT_LE(worst_violation(*problem, term), 1.0) << info->name << " " << term.name;
}

// A 10% error in one term (the first read: never identically 0 here) of
// every equation must be caught by the check above, or that check would
// pass a wrong catalog entry.
TEST_P(CatalogProblem, AMutatedEquationDoesNotVanish) {
  const ProblemInfo* info = find_problem(GetParam());
  ASSERT_NE(info, nullptr);
  if (!info->as_custom) GTEST_SKIP() << "native problem (test_poisson checks it)";
  const auto params = scaled_defaults(*info);
  const ProblemSpec spec = info->as_custom(params);
  for (std::size_t e = 0; e < spec.equations.size(); ++e) {
    const CustomProblem original(spec, "catalog");
    const auto& reads = original.terms()[e].residual->reads();
    ProblemSpec mutated = spec;
    mutated.equations[e] = "(" + spec.equations[e] + ") + 0.1*" + read_name(reads.front(), spec.inputs, spec.outputs);
    const CustomProblem wrong(mutated, "catalog");
    EXPECT_GT(worst_violation(wrong, wrong.terms()[e]), 1.0) << info->name << ": " << mutated.equations[e];
  }
}

INSTANTIATE_TEST_SUITE_P(AllWithExactSolutions, CatalogProblem,
                         ::testing::Values("poisson1d", "poisson2d", "poisson3d", "helmholtz2d", "heat1d", "heat2d",
                                           "convection1d", "wave1d", "kdv1d", "allen_cahn1d", "kovasznay"));
// allen_cahn_ball has its own checks (CatalogAllenCahnBall below): u* is only
// C^2 at the centre, where the finite-difference reference fails.

// The pair check itself: a solution that is not periodic fails it.
TEST(CatalogPeriodic, ANonPeriodicSolutionViolatesThePairTerms) {
  ProblemSpec spec = find_problem("convection1d")->as_custom({{"beta", 1.0}});
  spec.exact = "sin(0.9*(x - beta*t))";
  const CustomProblem wrong(spec, "catalog");
  int pair_terms = 0;
  for (const auto& term : wrong.terms()) {
    if (!term.periodic) continue;
    ++pair_terms;
    EXPECT_GT(worst_violation(wrong, term), 1.0);
  }
  EXPECT_EQ(pair_terms, 2);  // u and u_x
}

TEST(Catalog, EveryEntryButCustomBuildsFromItsDefaults) {
  for (const auto& info : catalog()) {
    if (info.name == "custom") continue;
    ProblemSpec spec;
    spec.pde = info.name;
    spec.params = info.default_params;
    EXPECT_NO_THROW(make_problem(spec)) << info.name;
  }
}

TEST(Catalog, EveryEntryHasADescriptionAndAClosedFormListsItsParameters) {
  for (const auto& info : closed_form_problems()) {
    EXPECT_GT(info.description.size(), 40u) << info.name;
    EXPECT_NE(info.description.find("exact"), std::string::npos) << info.name;
    if (!info.as_custom) continue;
    const auto spec = info.as_custom(info.default_params);
    for (const auto& [name, value] : info.default_params) EXPECT_TRUE(spec.params.count(name)) << info.name << " " << name;
    EXPECT_FALSE(exact_expressions(spec).empty()) << info.name;
  }
}

}  // namespace pinnkit::pde

namespace pinnkit::pde {

// The SVD-PINN template at targets (c != 0) and in another dimension: its
// source term must make the exact solution satisfy every term. The PDE term
// is checked at points with 0.05 <= |x| <= 0.9. At the centre u* is only C^2
// (a |x|^3 term), so central differences of step h miss its Laplacian by
// about 23 d h (0.023 at d = 10, the first Sobol point). Closer to the sphere u*'s fourth
// derivative (from |1 - |x||^2.5) grows like s^-1.5 and the finite-difference
// reference itself misses by more than the tolerance (at s = 1e-5 by 1.9e-3
// with h = 1e-4, measured in Python against the same formula, which at
// s >= 1e-2 leaves residuals below 3e-7).
TEST(CatalogAllenCahnBall, EveryTermVanishesAtTargetsAndOtherDimensions) {
  for (const auto& [c, d] : std::vector<std::pair<double, double>>{{2.0, 10.0}, {50.0, 10.0}, {0.5, 3.0}}) {
    ProblemSpec spec;
    spec.pde = "allen_cahn_ball";
    spec.params = {{"c", c}, {"d", d}};
    const auto problem = make_problem(spec, "catalog");
    const int dim = problem->input_dim();
    EXPECT_EQ(dim, static_cast<int>(d) + 1);
    for (const auto& term : problem->terms()) {
      if (term.where != PointSet::interior) {
        EXPECT_LE(worst_violation(*problem, term), 1.0) << "c " << c << " d " << d << " " << term.name;
        continue;
      }
      const auto all = points_of(*problem, term, 30);
      std::vector<double> x;
      for (std::size_t i = 0; i + dim <= all.size(); i += dim) {
        double r2 = 0;
        for (int a = 0; a + 1 < dim; ++a) r2 += all[i + a] * all[i + a];
        if (r2 >= 0.0025 && r2 <= 0.81) x.insert(x.end(), all.begin() + i, all.begin() + i + dim);
      }
      ASSERT_GE(x.size(), static_cast<std::size_t>(10 * dim));
      const auto rows = residual_on_exact(*problem, term, x);
      for (std::size_t i = 0; i < rows.r.size(); ++i)
        EXPECT_LE(std::abs(rows.r[i]), 2e-3 + 1e-4 * rows.scale[i]) << "c " << c << " d " << d << " point " << i;
      // The check above can fail: a 10% error in u_t is seen at every point.
      ProblemSpec mutated = allen_cahn_ball_spec(spec.params);
      mutated.equations[0] = "(" + mutated.equations[0] + ") + 0.1*u_t";
      const CustomProblem wrong(mutated, "catalog");
      const auto bad = residual_on_exact(wrong, wrong.terms()[0], x);
      for (std::size_t i = 0; i < bad.r.size(); ++i)
        EXPECT_GT(std::abs(bad.r[i]), 2e-3 + 1e-4 * bad.scale[i]) << "c " << c << " d " << d << " point " << i;
    }
  }
}

TEST(CatalogAllenCahnBall, ADimensionThatIsNoIntegerNamesTheKey) {
  ProblemSpec spec;
  spec.pde = "allen_cahn_ball";
  spec.params = {{"c", 0.0}, {"d", 2.5}};
  try {
    make_problem(spec, "run.yaml");
    FAIL() << "d = 2.5 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("run.yaml: problem.params.d"), std::string::npos) << e.what();
  }
}

}  // namespace pinnkit::pde
