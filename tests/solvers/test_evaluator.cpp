#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "models/make_model.hpp"
#include "pde/box.hpp"
#include "pde/csg.hpp"
#include "pde/space_time.hpp"
#include "solvers/evaluator.hpp"
#include "solvers/objective.hpp"

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
  bool has_exact() const override { return true; }
  void exact(const ExecSpace&, View2<const Real>, View2<Real> u) const override { Kokkos::deep_copy(u, Real(0)); }

 private:
  std::shared_ptr<const pde::Geometry> domain_;
  std::vector<pde::LossTerm> terms_;
};

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
