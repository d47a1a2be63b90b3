// The hard-constraint output transform u = g + d N: input-derivative jets and
// parameter gradients of a constrained network vs central differences
// (orders 1..4, mixed directions), the layer's input adjoint, config errors,
// and a trained heat problem that meets its Dirichlet data to rounding.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "models/make_model.hpp"
#include "pde/problem.hpp"
#include "solvers/output_constraint.hpp"
#include "solvers/trainer.hpp"

#include "support/gradcheck.hpp"
#include "support/laplacian_check.hpp"
#include "support/solver_fixture.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

const std::map<std::string, double> params{{"a", 0.5}};

/// A 2-input MLP with outputs (u, v); u constrained, v left alone.
struct ConstrainedNet {
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  explicit ConstrainedNet(int outputs = 2) {
    models::ModelSpec spec;
    spec.hidden = {5, 5};
    model = models::make_model(spec, 2, outputs, {-1.0, 0.0}, {1.0, 1.0}, store, 11);
    append_output_constraint(*model, compile_hard_constraints(
                                         {{"u", "sin(pi*x)*exp(-t) + a*t^2", "x*(1-x)*(1+t)^2/(2+x)"}},
                                         {"x", "t"}, {"u", "v"}, params, "test.yaml"));
  }
};

const std::vector<MultiIndex> derivatives{{1, 0}, {0, 1}, {2, 0}, {0, 2}, {1, 1},
                                          {3, 0}, {0, 3}, {4, 0}, {0, 4}};
const std::vector<double> points{0.1, 0.2, -0.4, 0.9, 0.7, 0.3};

TEST(OutputConstraint, InputDerivativesMatchFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  ConstrainedNet net;
  EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*net.model), 2, 2, derivatives, points));
}

// The collapsed Laplacian channel of g + d N: the second coefficients of g
// and d along each axis plus the cross terms d_1 N_1, against the per-axis
// channels, and its reverse pass against central differences.
TEST(OutputConstraint, CollapsedLaplacianMatchesPerAxisChannelsAndFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  ConstrainedNet net;
  EXPECT_TRUE(testing::check_collapsed_laplacian(*net.model, net.store, {{0, 1}}, {0, 1}, points));
  EXPECT_TRUE(testing::check_collapsed_laplacian(*net.model, net.store, {{0, 3}}, {0}, points));
  EXPECT_TRUE(testing::check_jet_loss_gradient(net.store,
                                               testing::model_differentiable(*net.model, JetSpec(2, {{1, 0}}, {0, 1}), points),
                                               9));
}

TEST(OutputConstraint, ParameterGradientsMatchFiniteDifferencesAtOrdersOneToFour) {
  PINNKIT_REQUIRE_DOUBLE();
  const std::vector<std::vector<MultiIndex>> specs{
      {{1, 0}, {0, 1}}, {{2, 0}, {1, 1}, {0, 2}}, {{3, 0}, {1, 1}, {0, 1}}, {{4, 0}, {0, 4}, {1, 1}}};
  std::uint64_t seed = 3;
  for (const auto& alphas : specs) {
    ConstrainedNet net;
    const JetSpec spec(2, alphas);
    EXPECT_TRUE(testing::check_jet_loss_gradient(net.store, testing::model_differentiable(*net.model, spec, points),
                                                 seed++))
        << spec.describe();
  }
}

TEST(OutputConstraint, InputAdjointMatchesFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  const JetSpec spec(2, {{4, 0}, {0, 3}, {1, 1}});
  const int n = 3, c = spec.channels();
  View3<Real> x("pinnkit::test::input_jets", n, c, 2);
  seed_input_jets(ExecSpace(), spec, testing::points_to_device(points, n, 2), x);
  OutputConstraint layer(2, compile_hard_constraints({{"v", "cos(x+t)", "x*t + a"}}, {"x", "t"}, {"u", "v"}, params, "t"),
                         [x] { return models::ConstJets(x); });
  const auto in = testing::random_values(static_cast<std::size_t>(n) * c * 2, -1, 1, 7);
  EXPECT_TRUE(testing::check_input_adjoint(layer, spec, in, n, 9));
}

TEST(OutputConstraint, ValueIsPrescribedWhereTheDistanceVanishes) {
  ConstrainedNet net;
  // x = 0 and x = 1: d = 0, so u = g whatever the network says.
  const std::vector<double> edge{0.0, 0.3, 1.0, 0.8, 0.0, 1.0};
  const JetSpec value_only(2);
  const auto u = testing::to_host(net.model->forward(value_only, testing::points_to_device(edge, 3, 2)));
  for (int p = 0; p < 3; ++p) {
    const double x = edge[2 * p], t = edge[2 * p + 1];
    EXPECT_NEAR(u[2 * p], std::sin(M_PI * x) * std::exp(-t) + 0.5 * t * t, testing::tol(1e-15)) << "point " << p;
  }
}

TEST(OutputConstraint, ConfigErrorsNameTheKey) {
  auto message = [](const std::vector<models::HardConstraintSpec>& specs) {
    try {
      compile_hard_constraints(specs, {"x", "t"}, {"u"}, params, "c.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"", "sin(pi*y)", "x"}}).find("c.yaml: model.hard_constraint.value"), std::string::npos);
  EXPECT_NE(message({{"", "0", "x*b"}}).find("model.hard_constraint.distance"), std::string::npos);
  EXPECT_NE(message({{"w", "0", "x"}}).find("model.hard_constraint.output: expected one of the outputs u"),
            std::string::npos);
  EXPECT_NE(message({{"", "0", ""}}).find("model.hard_constraint.distance: expected"), std::string::npos);
  EXPECT_NE(message({{"u", "0", "x"}, {"u", "1", "t"}}).find("model.hard_constraint[1].output"), std::string::npos);
  // A derivative of the output is not a field of the inputs.
  EXPECT_NE(message({{"", "u_x", "x"}}).find("model.hard_constraint.value"), std::string::npos);
}

TEST(OutputConstraint, TrainedHeatProblemMeetsItsDirichletDataToRounding) {
  pde::ProblemSpec ps;
  ps.pde = "custom";
  ps.inputs = {"x", "t"};
  ps.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  ps.params = {{"k", 0.1}};
  ps.equations = {"u_t - k*u_xx"};
  ps.conditions = {{"dirichlet", {"x_min", "x_max"}, "0", "", 1, 1}, {"initial", {}, "sin(pi*x)", "", 1, 1}};
  ps.exact = "exp(-k*pi^2*t)*sin(pi*x)";
  const auto problem = pde::make_problem(ps);
  models::ParamStore store;
  models::ModelSpec ms;
  ms.hidden = {10, 10};
  auto model = models::make_model(ms, 2, 1, problem->domain().lower(), problem->domain().upper(), store, 2);
  append_output_constraint(*model, compile_hard_constraints({{"", "sin(pi*x)", "x*(1-x)*t"}}, {"x", "t"}, {"u"},
                                                            ps.params, "test"));
  SamplingSpec sampling;
  sampling.interior = 128;
  sampling.boundary = 32;
  sampling.initial = 32;
  LossSpec loss;
  Objective objective(*problem, *model, store, sampling, loss, 2);
  const EvaluationSpec eval = testing::grid_at_end(11);
  Evaluator evaluator(*problem, eval);
  StageSpec adam;
  adam.lr = 1e-2;
  adam.steps = 80;
  Trainer trainer(*model, store, objective, evaluator, {adam}, sampling, eval, testing::quiet_options());
  const TrainResult result = trainer.run(ExecSpace());
  ASSERT_EQ(result.outcome, Outcome::completed);
  // The soft terms measure the conditions: they are zero up to rounding.
  const LossValues final_loss = objective.value(ExecSpace());
  // A mean of squared round-off errors: eps^2, so tol_pow(1e-28, 2) in float.
  EXPECT_LT(final_loss.terms.at("boundary"), testing::tol_pow(1e-28, 2));
  EXPECT_LT(final_loss.terms.at("initial"), testing::tol_pow(1e-28, 2));
  EXPECT_GT(final_loss.terms.at("pde"), 0.0);
  // And the trained network still moves the interior (training did something).
  EXPECT_LT(result.history.at("loss").back(), result.history.at("loss").front());
}

}  // namespace

}  // namespace pinnkit::solvers
