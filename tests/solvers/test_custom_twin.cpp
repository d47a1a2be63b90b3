// A problem written as `custom` in the config must train exactly like its
// catalog twin: same terms in the same order, same points, same residuals.
#include <gtest/gtest.h>

#include <cmath>

#include "models/make_model.hpp"
#include "pde/catalog.hpp"
#include "pde/problem.hpp"
#include "solvers/trainer.hpp"

#include "support/solver_fixture.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

TrainResult train(const pde::ProblemSpec& spec) {
  const auto problem = pde::make_problem(spec);
  models::ParamStore store;
  models::ModelSpec ms;
  ms.hidden = {12, 12};
  auto model = models::make_model(ms, problem->input_dim(), problem->output_dim(), problem->domain().lower(),
                                  problem->domain().upper(), store, 4);
  SamplingSpec sampling;
  sampling.interior = 128;
  sampling.boundary = 64;
  sampling.initial = 32;
  LossSpec loss;
  loss.weights = {{"pde", 1.0}, {"boundary", 10.0}, {"initial", 10.0}};
  Objective objective(*problem, *model, store, sampling, loss, 4);
  const EvaluationSpec eval = testing::grid_at_end(21);
  Evaluator evaluator(*problem, eval);
  StageSpec adam;
  adam.lr = 3e-3;
  adam.steps = 60;
  Trainer trainer(*model, store, objective, evaluator, {adam}, sampling, eval, testing::quiet_options());
  return trainer.run(ExecSpace());
}

/// The twins' final loss and errors agree to `rel`, and a trained (the loss fell).
/// The twins differ by round-off carried through the steps: ~1e-12 relative
/// in double (the 1e-12 twin), so at least tol(1e-12) in float.
void expect_trains_alike(const TrainResult& a, const TrainResult& b, double rel) {
  rel = testing::tol_floor(rel, 1e-12);
  for (const char* m : {"final_loss", "rel_l2", "max_abs_err"})
    EXPECT_NEAR(a.metrics.at(m), b.metrics.at(m), rel * std::abs(a.metrics.at(m))) << m;
  EXPECT_LT(a.metrics.at("final_loss"), a.history.at("loss").front());
}

}  // namespace

TEST(CustomTwin, CustomPoissonTrainsLikeTheCatalogPoisson) {
  pde::ProblemSpec catalog;
  catalog.pde = "poisson2d";
  catalog.params = {{"a", 1.5}};
  pde::ProblemSpec custom;
  custom.pde = "custom";
  custom.inputs = {"x", "y"};
  custom.domain = {{"x", {-1.0, 1.0}}, {"y", {-1.0, 1.0}}};
  custom.params = {{"a", 1.5}};
  custom.equations = {"-(u_xx + u_yy) - 2*(a*pi)^2*sin(a*pi*x)*sin(a*pi*y)"};
  custom.conditions = {{"dirichlet", {}, "sin(a*pi*x)*sin(a*pi*y)", "", 1, 1}};
  custom.exact = "sin(a*pi*x)*sin(a*pi*y)";
  // Only the rounding of the source term differs.
  expect_trains_alike(train(catalog), train(custom), 1e-9);
}

// lap(u) is read from one collapsed jet channel, u_xx + u_yy from two; the
// same heat problem written either way trains the same to rounding.
TEST(CustomTwin, LapTrainsLikeTheSumOfSecondDerivatives) {
  pde::ProblemSpec spec;
  spec.pde = "custom";
  spec.inputs = {"x", "y", "t"};
  spec.domain = {{"x", {0.0, 1.0}}, {"y", {0.0, 1.0}}, {"t", {0.0, 0.5}}};
  spec.params = {{"k", 0.1}};
  spec.conditions = {{"dirichlet", {}, "exp(-2*k*pi^2*t)*sin(pi*x)*sin(pi*y)", "", 1, 1},
                     {"initial", {}, "sin(pi*x)*sin(pi*y)", "", 1, 1}};
  spec.exact = "exp(-2*k*pi^2*t)*sin(pi*x)*sin(pi*y)";
  pde::ProblemSpec collapsed = spec;
  spec.equations = {"u_t - k*(u_xx + u_yy)"};
  collapsed.equations = {"u_t - k*lap(u)"};
  expect_trains_alike(train(collapsed), train(spec), 1e-9);
}

// The multi-output twin: Kovasznay flow written out by hand (three
// equations, Dirichlet conditions per output, a list of exact solutions)
// trains exactly like the catalog entry.
TEST(CustomTwin, CustomKovasznayTrainsLikeTheCatalogKovasznay) {
  pde::ProblemSpec catalog;
  catalog.pde = "kovasznay";
  catalog.params = {{"Re", 40.0}};
  const std::string l = "(Re/2 - sqrt(Re^2/4 + 4*pi^2))";
  const std::string u = "1 - exp(" + l + "*x)*cos(2*pi*y)", v = l + "/(2*pi)*exp(" + l + "*x)*sin(2*pi*y)",
                    p = "(1 - exp(2*" + l + "*x))/2";
  pde::ProblemSpec custom;
  custom.pde = "custom";
  custom.inputs = {"x", "y"};
  custom.outputs = {"u", "v", "p"};
  custom.domain = {{"x", {-0.5, 1.0}}, {"y", {-0.5, 1.5}}};
  custom.params = {{"Re", 40.0}};
  custom.equations = {"u*u_x + v*u_y + p_x - (u_xx + u_yy)/Re", "u*v_x + v*v_y + p_y - (v_xx + v_yy)/Re",
                      "u_x + v_y"};
  custom.conditions = {{"dirichlet", {}, u, "u", 1, 1}, {"dirichlet", {}, v, "v", 1, 1},
                       {"dirichlet", {"x_max"}, p, "p", 1, 1}};
  custom.exact_list = {u, v, p};
  const auto a = train(catalog);
  expect_trains_alike(a, train(custom), 1e-12);
  // Not a twin of something trivial: another Reynolds number trains differently.
  custom.params["Re"] = 20.0;
  EXPECT_GT(std::abs(train(custom).metrics.at("rel_l2") - a.metrics.at("rel_l2")), 1e-6);
}

}  // namespace pinnkit::solvers
