// Inverse problems (problem.unknowns, problem.observations, operator
// conditions): the gradient with respect to an unknown against central
// differences of the loss, the data term's value, fixed observation points,
// the noise model and the unknowns' maps.
#include <gtest/gtest.h>

#include <cmath>

#include "models/make_model.hpp"
#include "pde/custom_problem.hpp"
#include "solvers/objective.hpp"
#include "solvers/observation_report.hpp"
#include "solvers/unknowns.hpp"

#include "support/gradcheck.hpp"
#include "support/precision.hpp"

namespace pinnkit::solvers {

namespace {

/// Heat u_t = k u_xx on [0,1]^2 with k unknown, read in the equation and in
/// an operator condition, and 12 observations of the exact solution.
pde::ProblemSpec heat_inverse_spec(const pde::UnknownSpec& k, int observations = 12) {
  pde::ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = {{"k", 0.1}};
  s.equations = {"u_t - k*u_xx"};
  pde::ConditionSpec d, op, init;
  d.type = "dirichlet";
  d.on = {"x_min"};
  op.type = "operator";
  op.on = {"x_max"};
  op.expression = "k*u_xx + u_x";  // exact: -k pi^2 e sin(pi) - pi e: a value of the inputs
  op.value = "-pi*exp(-0.1*pi^2*t)";
  init.type = "initial";
  init.value = "sin(pi*x)";
  s.conditions = {d, op, init};
  s.exact = "exp(-k*pi^2*t)*sin(pi*x)";
  s.unknowns = {{"k", k}};
  s.observations.file = "memory.csv";
  s.observations.inputs = {"x", "t"};
  s.observations.outputs = {"u"};
  HostRng rng(11);
  for (int i = 0; i < observations; ++i) {
    const double x = rng.uniform01(), t = rng.uniform01();
    s.observations.points.insert(s.observations.points.end(), {x, t});
    s.observations.values.push_back(std::exp(-0.1 * M_PI * M_PI * t) * std::sin(M_PI * x));
  }
  return s;
}

pde::UnknownSpec unknown(double init, bool bounded, bool log) {
  pde::UnknownSpec u;
  u.init = init;
  u.bounded = bounded;
  u.lower = 0.01;
  u.upper = 2;
  u.log = log;
  return u;
}

struct InversePinn {
  explicit InversePinn(const pde::ProblemSpec& spec) : problem(spec, "test.yaml") {
    models::ModelSpec m;
    m.type = "mlp";
    m.hidden = {6, 6};
    model = models::build_model(m, 2, 1, problem.domain().lower(), problem.domain().upper(), store);
    add_unknown_blocks(problem, store);
    store.finalize();
    model->initialize_params(5);
    init_unknowns(problem, store);
    sampling.interior = 16;
    sampling.boundary = 8;
    sampling.initial = 8;
    loss.weights = {{"pde", 1.0}, {"boundary", 10.0}, {"initial", 10.0}, {"data", 3.0}};
  }
  pde::CustomProblem problem;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  SamplingSpec sampling;
  LossSpec loss;
};

}  // namespace

class UnknownGradient : public ::testing::TestWithParam<std::pair<bool, bool>> {};

// dL/dtheta comes from the residual's dual column of k (equation and operator
// condition) times dk/dtheta of the map; every network parameter's gradient
// must stay right beside it. A missing map slope, a dropped condition term or
// a wrong seed scale shows up against central differences (rel 1e-6).
TEST_P(UnknownGradient, MatchesCentralDifferencesForEveryMap) {
  PINNKIT_REQUIRE_DOUBLE();
  const auto [bounded, log] = GetParam();
  InversePinn pinn(heat_inverse_spec(unknown(0.3, bounded, log)));
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const ExecSpace exec;
  EXPECT_TRUE(testing::check_param_gradient(
      pinn.store, [&] { return objective.value(exec).total; }, [&] { objective.value_and_grad(exec); }));
  // The unknown's own entry, checked by name: it must not be zero by accident.
  const auto& block = pinn.store.block(unknown_block("k"));
  objective.value_and_grad(exec);
  EXPECT_NE(pinn.store.grads_to_host()[block.offset], 0.0);
  EXPECT_NEAR(objective.unknown_values().at("k"), 0.3, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Maps, UnknownGradient,
                         ::testing::Values(std::make_pair(false, false), std::make_pair(false, true),
                                           std::make_pair(true, false), std::make_pair(true, true)));

// The data term is w/N sum (u(x_n) - y_n)^2 over the fixed observation
// points, which resampling leaves alone; report_observations sees the same misfit.
TEST(Observations, DataTermIsTheWeightedMeanSquaredMisfitAtFixedPoints) {
  InversePinn pinn(heat_inverse_spec(unknown(0.3, true, true)));
  Objective objective(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 9);
  const ExecSpace exec;
  EXPECT_EQ(objective.point_counts().at("data"), 12);
  const double before = objective.value(exec).terms.at("data");
  const auto report = report_observations(exec, *pinn.model, pinn.problem);
  ASSERT_EQ(report.count, 12);
  EXPECT_NEAR(before, 3.0 * report.rms_misfit * report.rms_misfit, testing::tol(1e-12) * before);
  const double pde_before = objective.value(exec).terms.at("pde");
  objective.resample();
  const auto after = objective.value(exec);
  EXPECT_EQ(after.terms.at("data"), before) << "observation points must not be resampled";
  EXPECT_NE(after.terms.at("pde"), pde_before) << "collocation points must be";
}

// noise: Gaussian with standard deviation noise * RMS(values), from a stream
// of its own seed: the same data for the same noise_seed, other data for another.
TEST(Observations, NoiseHasTheStatedRelativeLevelAndItsOwnSeed) {
  auto spec = heat_inverse_spec(unknown(0.3, false, false), 4000);
  double rms = 0;
  for (double v : spec.observations.values) rms += v * v;
  rms = std::sqrt(rms / spec.observations.values.size());
  spec.observations.noise = 0.05;
  const auto a = pde::make_observations(spec, spec.inputs, spec.outputs, "test.yaml");
  const auto b = pde::make_observations(spec, spec.inputs, spec.outputs, "test.yaml");
  spec.observations.noise_seed = 2;
  const auto c = pde::make_observations(spec, spec.inputs, spec.outputs, "test.yaml");
  double sum = 0, sum2 = 0;
  const std::size_t n = a.values.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double e = a.values[i] - spec.observations.values[i];
    sum += e;
    sum2 += e * e;
  }
  const double sd = std::sqrt(sum2 / n - (sum / n) * (sum / n));
  EXPECT_NEAR(sd / rms, 0.05, 0.05 * 0.05);  // 4000 draws: the sample sd is within ~1.1% of sigma
  EXPECT_NEAR(sum / n, 0.0, 4 * 0.05 * rms / std::sqrt(static_cast<double>(n)));
  EXPECT_EQ(a.values, b.values);
  EXPECT_NE(a.values, c.values);
  spec.observations.noise = 0;
  EXPECT_EQ(pde::make_observations(spec, spec.inputs, spec.outputs, "test.yaml").values, spec.observations.values);
}

// The maps keep the value inside the bounds, invert at the initial value and
// have the derivative the gradient uses (central differences, rel 1e-8).
TEST(UnknownMap, InvertsAndDifferentiatesEveryKind) {
  for (const bool bounded : {false, true})
    for (const bool log : {false, true}) {
      pde::UnknownMap m;
      m.bounded = bounded;
      m.log = log;
      m.lo = 0.01;
      m.hi = 2;
      for (const double v : {0.02, 0.3, 1.9}) {
        const double theta = m.theta(v);
        EXPECT_NEAR(m.value(theta), v, 1e-12 * v) << bounded << log;
        const double h = 1e-5;
        const double fd = (m.value(theta + h) - m.value(theta - h)) / (2 * h);
        EXPECT_NEAR(m.derivative(theta), fd, 1e-8 * std::abs(fd)) << bounded << log << " v " << v;
      }
      if (bounded)
        for (const double theta : {-40.0, 40.0}) {
          EXPECT_GE(m.value(theta), m.lo);
          EXPECT_LE(m.value(theta), m.hi);
        }
    }
}

// Bad unknowns are InputErrors naming problem.unknowns.NAME.
TEST(Unknowns, RefusesUnusedUnknownsAndInitsOutsideTheBounds) {
  auto unused = heat_inverse_spec(unknown(0.3, false, false));
  unused.unknowns["c"] = unknown(1.0, false, false);
  try {
    pde::CustomProblem p(unused, "test.yaml");
    FAIL() << "an unknown that no term reads was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml: problem.unknowns.c"), std::string::npos) << e.what();
  }
  auto outside = heat_inverse_spec(unknown(3.0, true, false));
  try {
    pde::CustomProblem p(outside, "test.yaml");
    FAIL() << "an init outside the bounds was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("problem.unknowns.k.init"), std::string::npos) << e.what();
  }
}

}  // namespace pinnkit::solvers
