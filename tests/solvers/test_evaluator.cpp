#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "core/error.hpp"
#include "models/make_model.hpp"
#include "pde/box.hpp"
#include "pde/catalog.hpp"
#include "pde/csg.hpp"
#include "pde/space_time.hpp"
#include "solvers/evaluator.hpp"
#include "solvers/objective.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

/// r = u on every point set; exact u = 0. Enough to exercise sampling and
/// evaluation on any domain.
class ValueResidual : public pde::Residual {
 public:
  explicit ValueResidual(int dim) : reads_{{0, MultiIndex(dim, 0)}} {}
  const std::vector<pde::Read>& reads() const override { return reads_; }
  void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                View1<Real> r, View2<Real> dr) const override {
    Kokkos::parallel_for(
        "pinnkit::tests::ValueResidual", Kokkos::RangePolicy<ExecSpace>(exec, 0, points.extent(0)),
        KOKKOS_LAMBDA(int n) {
          r(n) = values(n, 0);
          dr(n, 0) = 1;
        });
  }

 private:
  std::vector<pde::Read> reads_;
};

class DomainOnly : public pde::Problem {
 public:
  explicit DomainOnly(std::shared_ptr<const pde::Geometry> g) : domain_(std::move(g)) {
    const auto residual = std::make_shared<ValueResidual>(domain_->dim());
    terms_ = {{"pde", pde::PointSet::interior, residual, {}},
              {"boundary", pde::PointSet::boundary, residual, {}}};
    if (dynamic_cast<const pde::SpaceTime*>(domain_.get()))
      terms_.push_back({"initial", pde::PointSet::initial, residual, {}});
  }
  const pde::Geometry& domain() const override { return *domain_; }
  std::vector<std::string> output_names() const override { return {"u"}; }
  const std::vector<pde::LossTerm>& terms() const override { return terms_; }
  bool has_exact() const override { return with_exact; }
  void exact(const ExecSpace&, View2<const Real>, View2<Real> u) const override { Kokkos::deep_copy(u, Real(0)); }
  const pde::ReferenceData* reference_data() const override { return data.inputs ? &data : nullptr; }

  bool with_exact = true;
  pde::ReferenceData data;  ///< none while inputs == 0

 private:
  std::shared_ptr<const pde::Geometry> domain_;
  std::vector<pde::LossTerm> terms_;
};

std::shared_ptr<const pde::Geometry> unit_square() {
  return std::make_shared<pde::Box>(std::vector<std::string>{"x", "y"}, std::vector<double>{0, 0},
                                    std::vector<double>{1, 1});
}

/// Three points with values that are not the exact solution (0).
pde::ReferenceData three_points() {
  pde::ReferenceData d;
  d.inputs = 2;
  d.outputs = 1;
  d.points = {0.1, 0.2, 0.5, 0.5, 0.9, 0.3};
  d.values = {1.0, -2.0, 0.5};
  d.source = "three.dat";
  return d;
}

std::unique_ptr<models::Model> small_model(const pde::Problem& problem, models::ParamStore& store) {
  models::ModelSpec ms;
  ms.hidden = {6};
  return models::make_model(ms, problem.input_dim(), problem.output_dim(), problem.domain().lower(),
                            problem.domain().upper(), store, 5);
}

}  // namespace

TEST(Evaluator, GridPointsOutsideTheDomainAreDropped) {
  DomainOnly problem(std::make_shared<pde::Csg2d>(pde::pinnacle_poisson2d_c_domain()));
  EvaluationSpec spec;
  spec.points = "grid";
  spec.grid = {41, 41};
  Evaluator evaluator(problem, spec);
  EXPECT_LT(evaluator.point_count(), 41 * 41);
  // The four holes of radius 0.1 cover 4 pi 0.01 of the unit square: about
  // 12.6% of the grid, give or take the points on their rims.
  EXPECT_NEAR(1.0 - evaluator.point_count() / (41.0 * 41.0), 4 * M_PI * 0.01, 0.02);
}

TEST(Evaluator, ReferencePointsAndValuesComeFromTheProblemsData) {
  DomainOnly problem(unit_square());
  problem.data = three_points();
  EvaluationSpec spec;  // points: reference
  const Evaluator evaluator(problem, spec);
  ASSERT_EQ(evaluator.point_count(), 3);
  models::ParamStore store;
  auto model = small_model(problem, store);
  const auto e = evaluator.evaluate(ExecSpace(), *model);
  ASSERT_TRUE(e.has_reference());
  std::vector<double> points;  // as stored in Real
  for (double x : problem.data.points) points.push_back(static_cast<Real>(x));
  EXPECT_EQ(e.x, points);
  EXPECT_EQ(e.u_ref, problem.data.values);
  double err2 = 0, ref2 = 0, worst = 0;
  for (int i = 0; i < 3; ++i) {
    const double diff = e.u_pred[i] - problem.data.values[i];
    err2 += diff * diff;
    ref2 += problem.data.values[i] * problem.data.values[i];
    worst = std::max(worst, std::abs(diff));
  }
  EXPECT_NEAR(e.rel_l2, std::sqrt(err2 / ref2), 1e-12);
  EXPECT_NEAR(e.max_abs_err, worst, 1e-12);
  EXPECT_GT(e.rel_l2, 0.0);
}

TEST(Evaluator, AGridOnADataOnlyReferenceIsRejected) {
  DomainOnly problem(unit_square());
  problem.data = three_points();
  problem.with_exact = false;
  EvaluationSpec spec;
  spec.points = "grid";
  spec.grid = {5, 5};
  try {
    Evaluator evaluator(problem, spec, "run.yaml");
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("run.yaml: evaluation.points: expected `reference`"), std::string::npos) << m;
    EXPECT_NE(m.find("three.dat"), std::string::npos) << m;
  }
  // With a closed form as well, the grid is evaluated against it.
  problem.with_exact = true;
  EXPECT_EQ(Evaluator(problem, spec).point_count(), 25);
}

TEST(Evaluator, WithoutDataTheExactSolutionOnTheGridIsTheReference) {
  DomainOnly problem(unit_square());
  EvaluationSpec spec;  // points: reference, but there are no data
  spec.grid = {4, 6};
  models::ParamStore store;
  auto model = small_model(problem, store);
  const Evaluator evaluator(problem, spec);
  EXPECT_EQ(evaluator.point_count(), 24);
  EXPECT_TRUE(evaluator.evaluate(ExecSpace(), *model).has_reference());

  problem.with_exact = false;
  const Evaluator bare(problem, spec);
  EXPECT_EQ(bare.point_count(), 24);
  const auto e = bare.evaluate(ExecSpace(), *model);
  EXPECT_FALSE(e.has_reference());
  EXPECT_EQ(e.u_pred.size(), 24u);
  EXPECT_TRUE(std::isnan(bare.rel_l2(ExecSpace(), *model)));
}

TEST(Evaluator, ChunkedPassesGiveTheOnePassPredictionsAndRelL2) {
  // More reference points than a few cache-sized chunks: evaluate() and
  // rel_l2() run the model chunk by chunk, a plain forward over all at once.
  DomainOnly problem(unit_square());
  pde::ReferenceData d;
  d.inputs = 2;
  d.outputs = 1;
  d.source = "grid.dat";
  const int side = 200, n = side * side;
  for (int i = 0; i < n; ++i) {
    const double x = (i % side) / (side - 1.0), y = (i / side) / (side - 1.0);
    d.points.insert(d.points.end(), {x, y});
    d.values.push_back(std::sin(3 * x) + y);
  }
  problem.data = d;
  const Evaluator evaluator(problem, EvaluationSpec{});
  models::ParamStore store;
  auto model = small_model(problem, store);
  ASSERT_GT(evaluator.point_count(), 2 * cache_chunk_points(*model, JetSpec(2)));
  const auto e = evaluator.evaluate(ExecSpace(), *model);

  View2<Real> points("points", n, 2);
  auto h_points = Kokkos::create_mirror_view(points);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < 2; ++a) h_points(i, a) = static_cast<Real>(d.points[2 * i + a]);
  Kokkos::deep_copy(points, h_points);
  const auto once = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), model->forward(JetSpec(2), points));
  const double tol = 16 * std::numeric_limits<Real>::epsilon();
  double err2 = 0, ref2 = 0;
  for (int i = 0; i < n; ++i) {
    ASSERT_NEAR(e.u_pred[i], once(i, 0, 0), tol * (1 + std::abs(once(i, 0, 0)))) << "point " << i;
    const double ref = static_cast<Real>(d.values[i]);
    err2 += (once(i, 0, 0) - ref) * (once(i, 0, 0) - ref);
    ref2 += ref * ref;
  }
  EXPECT_NEAR(e.rel_l2, std::sqrt(err2 / ref2), tol * e.rel_l2);
  EXPECT_NEAR(evaluator.rel_l2(ExecSpace(), *model), e.rel_l2, tol * e.rel_l2);
  EXPECT_GT(e.rel_l2, 0.0);
}

// points: sample draws `samples` points inside the domain, the same set
// whatever the run (a 10-d ball has no usable grid).
TEST(Evaluator, SampledPointsLieInsideTheDomainAndAreTheSameEveryTime) {
  pde::ProblemSpec ps;
  ps.pde = "allen_cahn_ball";
  ps.params = {{"c", 2.0}, {"d", 10.0}};
  const auto problem = pde::make_problem(ps);
  EvaluationSpec spec;
  spec.points = "sample";
  spec.samples = 300;
  const Evaluator first(*problem, spec), second(*problem, spec);
  ASSERT_EQ(first.point_count(), 300);
  models::ParamStore store;
  auto model = small_model(*problem, store);
  const auto a = first.evaluate(ExecSpace(), *model), b = second.evaluate(ExecSpace(), *model);
  EXPECT_EQ(a.x, b.x);
  ASSERT_TRUE(a.has_reference());
  double r_max = 0, r_min = 1, t_min = 1, t_max = 0;
  for (int i = 0; i < 300; ++i) {
    double r2 = 0;
    for (int k = 0; k < 10; ++k) r2 += a.x[i * 11 + k] * a.x[i * 11 + k];
    r_max = std::max(r_max, std::sqrt(r2));
    r_min = std::min(r_min, std::sqrt(r2));
    t_min = std::min(t_min, a.x[i * 11 + 10]);
    t_max = std::max(t_max, a.x[i * 11 + 10]);
  }
  EXPECT_LE(r_max, 1.0);
  // Uniform in the 10-ball: half the volume lies beyond r = 0.5^(1/10) = 0.933.
  EXPECT_GT(r_max, 0.95);
  EXPECT_LT(t_min, 0.05);
  EXPECT_GT(t_max, 0.95);
}

TEST(Evaluator, CatalogDataProblemsAreEvaluatedOnTheirReferenceNodes) {
  pde::ProblemSpec ps;
  ps.pde = "poisson2d_cg";
  const auto problem = pde::make_problem(ps);
  const Evaluator evaluator(*problem, EvaluationSpec{});
  EXPECT_EQ(evaluator.point_count(), problem->reference_data()->size());
  EXPECT_EQ(evaluator.point_count(), 1246);
}

TEST(Objective, InitialTermsSampleTheSpatialDomainAtTheStartTime) {
  auto space = std::make_shared<pde::Box>(pde::make_interval("x", -1, 1));
  DomainOnly problem(std::make_shared<pde::SpaceTime>(space, "t", 0.0, 1.0));
  models::ParamStore store;
  models::ModelSpec ms;
  ms.hidden = {4};
  auto model = models::make_model(ms, 2, 1, problem.domain().lower(), problem.domain().upper(), store, 1);
  SamplingSpec sampling;
  sampling.interior = 32;
  sampling.boundary = 16;
  sampling.initial = 24;
  Objective objective(problem, *model, store, sampling, LossSpec{}, 3);
  EXPECT_EQ(objective.point_counts().at("initial"), 24);
  EXPECT_TRUE(std::isfinite(objective.value(ExecSpace()).terms.at("initial")));
}

}  // namespace pinnkit::solvers
