// Residual-based adaptive refinement: on a problem whose residual is known in
// closed form, refinement adds exactly the candidates of largest residual,
// respects its counts and cap, keeps its points through resampling, is
// reproducible from the seed, and shows in the trainer's history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/make_model.hpp"
#include "pde/problem.hpp"
#include "solvers/output_constraint.hpp"
#include "solvers/refinement.hpp"
#include "solvers/trainer.hpp"

#include "support/solver_fixture.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

/// r(x, y) = u - (x - 0.2)^2 - y^2 with u held at 0 by a hard constraint
/// (distance 0): the squared residual is ((x - 0.2)^2 + y^2)^2 exactly.
double known_score(double x, double y) {
  const double r = (x - 0.2) * (x - 0.2) + y * y;
  return r * r;
}

struct KnownResidual {
  explicit KnownResidual(std::uint64_t seed_value = 5, RefineSpec refine = {10, 200, 7, 40}) : seed(seed_value) {
    pde::ProblemSpec ps;
    ps.pde = "custom";
    ps.inputs = {"x", "y"};
    ps.domain = {{"x", {-1.0, 1.0}}, {"y", {-1.0, 1.0}}};
    ps.equations = {"u - (x - 0.2)^2 - y^2"};
    ps.conditions = {{"dirichlet", {}, "0", "", 1, 1}};
    problem = pde::make_problem(ps);
    models::ModelSpec ms;
    ms.hidden = {4};
    model = models::make_model(ms, 2, 1, problem->domain().lower(), problem->domain().upper(), store, 1);
    append_output_constraint(*model, compile_hard_constraints({{"", "0", "0"}}, {"x", "y"}, {"u"}, {}, "test"));
    sampling.interior = 12;
    sampling.boundary = 4;
    sampling.method = "uniform";
    sampling.refine = refine;
    objective = std::make_unique<Objective>(*problem, *model, store, sampling, LossSpec{}, seed);
  }
  std::uint64_t seed;
  std::unique_ptr<pde::Problem> problem;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  SamplingSpec sampling;
  std::unique_ptr<Objective> objective;
};

TEST(Refinement, LargestIndicesRankByScoreThenIndexWithNanLast) {
  const std::vector<double> score{0.5, 2.0, std::nan(""), 2.0, -1.0, 3.0};
  EXPECT_EQ(largest_indices(score, 3), (std::vector<int>{5, 1, 3}));
  EXPECT_EQ(largest_indices(score, 6), (std::vector<int>{5, 1, 3, 0, 4, 2}));
  EXPECT_EQ(largest_indices(score, 9).size(), 6u);
  EXPECT_TRUE(largest_indices(score, 0).empty());
}

TEST(Refinement, QuotaRespectsAddCandidatesAndTheCap) {
  const ResidualRefinement r({10, 50, 20, 100}, "sobol", 2, 1);
  EXPECT_EQ(r.quota(0), 20);
  EXPECT_EQ(r.quota(90), 10);
  EXPECT_EQ(r.quota(100), 0);
  EXPECT_EQ(r.quota(150), 0);
  const ResidualRefinement few({10, 5, 20, 100}, "sobol", 2, 1);
  EXPECT_EQ(few.quota(0), 5);
}

TEST(Refinement, ResidualSquaresMatchTheClosedForm) {
  KnownResidual k;
  const std::vector<double> pts{0.2, 0.0, -1.0, 0.5, 0.7, -0.9, 0.1, 0.3};
  const auto score = k.objective->interior_residual_squares(ExecSpace(), pts);
  ASSERT_EQ(score.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(score[i], known_score(pts[2 * i], pts[2 * i + 1]), testing::tol(1e-13)) << i;
}

TEST(Refinement, AddsExactlyTheCandidatesOfLargestResidual) {
  KnownResidual k;
  // The same candidate stream, drawn independently, ranked by the closed form.
  ResidualRefinement twin(k.sampling.refine, k.sampling.method, 2, refinement_seed(k.seed));
  const auto candidates = twin.draw_candidates(k.problem->domain());
  ASSERT_EQ(candidates.size(), 400u);
  std::vector<int> order(200);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return known_score(candidates[2 * a], candidates[2 * a + 1]) > known_score(candidates[2 * b], candidates[2 * b + 1]);
  });
  const int before = k.objective->interior_points();
  const auto added = k.objective->refine(ExecSpace());
  ASSERT_EQ(added.size(), 14u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(added[2 * i], candidates[2 * order[i]]) << "rank " << i;
    EXPECT_EQ(added[2 * i + 1], candidates[2 * order[i] + 1]) << "rank " << i;
  }
  EXPECT_EQ(k.objective->interior_points(), before + 7);
  EXPECT_EQ(k.objective->point_counts().at("pde"), before + 7);
}

TEST(Refinement, StopsAtTheCapAndKeepsItsPointsThroughResampling) {
  KnownResidual k;  // 12 drawn points, 7 per refinement, at most 40
  const ExecSpace exec;
  std::vector<int> counts;
  for (int round = 0; round < 6; ++round) {
    k.objective->refine(exec);
    counts.push_back(k.objective->interior_points());
  }
  EXPECT_EQ(counts, (std::vector<int>{19, 26, 33, 40, 40, 40}));
  const double before = k.objective->value(exec).terms.at("pde");
  k.objective->resample();
  EXPECT_EQ(k.objective->interior_points(), 40);  // 12 fresh + 28 refined
  EXPECT_NE(k.objective->value(exec).terms.at("pde"), before);  // the 12 are new
}

TEST(Refinement, IsReproducibleFromTheSeed) {
  KnownResidual a(5), b(5), c(6);
  const auto pa = a.objective->refine(ExecSpace());
  const auto pb = b.objective->refine(ExecSpace());
  const auto pc = c.objective->refine(ExecSpace());
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, pc);
}

TEST(Refinement, OffByDefaultAndInTheTrainersHistory) {
  KnownResidual off(5, RefineSpec{});
  EXPECT_TRUE(off.objective->refine(ExecSpace()).empty());

  KnownResidual k;  // every 10 steps, 7 points
  const EvaluationSpec eval = testing::grid_at_end(5);
  const Evaluator evaluator(*k.problem, eval);
  StageSpec adam;
  adam.steps = 25;
  TrainerOptions options;
  options.quiet = true;
  options.history_every = 1;
  Trainer trainer(*k.model, k.store, *k.objective, evaluator, {adam}, k.sampling, eval, options);
  const TrainResult result = trainer.run(ExecSpace());
  const auto& points = result.history.at("interior_points");
  ASSERT_EQ(points.size(), result.history.at("step").size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double step = result.history.at("step")[i];
    const int refinements = static_cast<int>(step) / 10;
    EXPECT_EQ(points[i], 12 + 7 * refinements) << "row " << i << ", step " << step;
  }
}

}  // namespace

}  // namespace pinnkit::solvers
