#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "pde/custom_problem.hpp"
#include "pde/space_time.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

namespace {

ProblemSpec heat_spec() {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {0.0, 1.0}}, {"t", {0.0, 2.0}}};
  s.params = {{"k", 0.5}};
  s.equations = {"u_t - k*u_xx"};
  s.conditions = {{"dirichlet", {"x_min"}, "0", "", 1, 1},
                  {"neumann", {"x_max"}, "1", "", 1, 1},
                  {"initial", {}, "sin(pi*x)", "", 1, 1},
                  {"initial_rate", {}, "0", "", 1, 1}};
  s.exact = "exp(-k*pi^2*t)*sin(pi*x)";
  return s;
}

View2<Real> row(const std::vector<double>& v) {
  View2<Real> m("m", 1, v.size());
  auto h = Kokkos::create_mirror_view(m);
  for (std::size_t j = 0; j < v.size(); ++j) h(0, j) = v[j];
  Kokkos::deep_copy(m, h);
  return m;
}

/// r and dr of a residual at one point with the given read values.
std::pair<double, std::vector<double>> residual_at(const Residual& r, const std::vector<double>& x,
                                                   const std::vector<double>& values) {
  View1<Real> out("r", 1);
  View2<Real> dr("dr", 1, values.size());
  r.evaluate(ExecSpace(), row(x), row(values), out, dr);
  auto ho = Kokkos::create_mirror_view_and_copy(HostSpace(), out);
  auto hd = Kokkos::create_mirror_view_and_copy(HostSpace(), dr);
  std::vector<double> d(values.size());
  for (std::size_t j = 0; j < d.size(); ++j) d[j] = hd(0, j);
  return {ho(0), d};
}

}  // namespace

TEST(CustomProblem, BuildsASpaceTimeDomainAndOneTermPerEquationConditionAndFace) {
  CustomProblem p(heat_spec(), "heat.yaml");
  ASSERT_NE(dynamic_cast<const SpaceTime*>(&p.domain()), nullptr);
  EXPECT_EQ(p.domain().dim(), 2);
  ASSERT_EQ(p.terms().size(), 5u);
  EXPECT_EQ(p.terms()[0].name, "pde");
  EXPECT_EQ(p.terms()[1].name, "boundary");
  EXPECT_EQ(p.terms()[1].parts, (std::vector<int>{0}));  // x_min
  EXPECT_EQ(p.terms()[2].parts, (std::vector<int>{1}));  // x_max
  EXPECT_EQ(p.terms()[3].where, PointSet::initial);
  EXPECT_EQ(p.terms()[4].where, PointSet::initial);
}

// On x_max the outward normal is +x: r = u_x - 1. On a face at the lower end
// the sign flips. The initial rate reads u_t.
TEST(CustomProblem, ConditionsBecomeTheResidualsTheirTypesDefine) {
  CustomProblem p(heat_spec(), "heat.yaml");
  const auto neumann = residual_at(*p.terms()[2].residual, {1.0, 0.5}, {3.0});
  EXPECT_EQ(p.terms()[2].residual->reads().at(0).alpha, (MultiIndex{1, 0}));
  EXPECT_DOUBLE_EQ(neumann.first, 2.0);
  EXPECT_DOUBLE_EQ(neumann.second[0], 1.0);
  auto spec = heat_spec();
  spec.conditions = {{"robin", {"x_min"}, "0.25", "", 2.0, 3.0}};
  CustomProblem robin(spec, "heat.yaml");
  // r = 2 u + 3 (-u_x) - 0.25, reads ordered (u, u_x).
  const auto r = residual_at(*robin.terms()[1].residual, {0.0, 0.5}, {1.0, 0.5});
  EXPECT_DOUBLE_EQ(r.first, 2.0 - 1.5 - 0.25);
  EXPECT_DOUBLE_EQ(r.second[0], 2.0);
  EXPECT_DOUBLE_EQ(r.second[1], -3.0);
  const auto rate = residual_at(*p.terms()[4].residual, {0.3, 0.0}, {0.7});
  EXPECT_EQ(p.terms()[4].residual->reads().at(0).alpha, (MultiIndex{0, 1}));
  PINNKIT_EXPECT_REAL_EQ(rate.first, 0.7);
}

TEST(CustomProblem, TheEquationVanishesOnTheExactSolution) {
  CustomProblem p(heat_spec(), "heat.yaml");
  const double x = 0.3, t = 0.7, k = 0.5, pi = M_PI;
  const double u = std::exp(-k * pi * pi * t) * std::sin(pi * x);
  // reads of u_t - k u_xx, in the canonical order (u_t, u_xx).
  const auto r = residual_at(*p.terms()[0].residual, {x, t}, {-k * pi * pi * u, -pi * pi * u});
  EXPECT_NEAR(r.first, 0.0, 1e-14);
  View2<Real> out("u", 1, 1);
  p.exact(ExecSpace(), row({x, t}), out);
  EXPECT_NEAR(Kokkos::create_mirror_view_and_copy(HostSpace(), out)(0, 0), u, testing::tol(1e-15));
}

TEST(CustomProblem, MisplacedTimePeriodicAndTimelessInitialConditionsAreInputErrors) {
  auto spec = heat_spec();
  spec.inputs = {"t", "x"};
  try {
    CustomProblem p(spec, "heat.yaml");
    FAIL() << "t first must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("heat.yaml: problem.inputs"), std::string::npos) << e.what();
  }
  spec = heat_spec();
  spec.conditions = {{"periodic", {}, "0", "", 1, 1}};
  EXPECT_THROW(CustomProblem(spec, "heat.yaml"), InputError);
  spec = heat_spec();
  spec.inputs = {"x"};
  spec.domain.erase("t");
  spec.equations = {"u_xx"};
  spec.exact.clear();
  spec.conditions = {{"initial", {}, "0", "", 1, 1}};
  EXPECT_THROW(CustomProblem(spec, "heat.yaml"), InputError);
  spec.conditions.clear();
  spec.equations = {"u_xx + w"};
  try {
    CustomProblem p(spec, "heat.yaml");
    FAIL() << "an unknown name must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("heat.yaml: problem.equations[0]"), std::string::npos) << e.what();
  }
}

TEST(CustomProblem, PeriodicPairsTheFacesOfOneSpatialAxisForTheValueAndTheSlope) {
  auto spec = heat_spec();
  spec.conditions = {{"periodic", {"x_max", "x_min"}, "0", "", 1, 1}};
  const CustomProblem p(spec, "heat.yaml");
  std::vector<std::string> reads;
  for (const auto& term : p.terms()) {
    const auto& pair = term.periodic;
    if (!pair) continue;
    EXPECT_EQ(term.name, "boundary");
    EXPECT_EQ(term.where, PointSet::boundary);
    EXPECT_EQ(pair->axis, 0);
    EXPECT_EQ(pair->lower, 0.0);
    EXPECT_EQ(pair->upper, 1.0);
    ASSERT_EQ(term.parts.size(), 1u);
    EXPECT_EQ(p.domain().part_names()[term.parts[0]], "x_min");
    ASSERT_EQ(term.residual->reads().size(), 1u);
    reads.push_back(std::to_string(term.residual->reads()[0].alpha[0]));
  }
  EXPECT_EQ(reads, (std::vector<std::string>{"0", "1"}));  // u, then u_x
}

TEST(CustomProblem, PeriodicOnOneFaceOrOnTimeIsAnInputErrorNamingOn) {
  for (const std::vector<std::string>& on :
       {std::vector<std::string>{"x_min"}, {"t_min", "t_max"}, {"x_min", "x_max", "x_min"}}) {
    auto spec = heat_spec();
    spec.conditions = {{"dirichlet", {}, "0", "", 1, 1}, {"periodic", on, "0", "", 1, 1}};
    try {
      CustomProblem p(spec, "heat.yaml");
      FAIL() << "periodic on " << on.size() << " parts must be rejected";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("heat.yaml: problem.conditions[1].on"), std::string::npos) << e.what();
    }
  }
}

TEST(CustomProblem, ExactListGivesOneColumnPerOutputAndAWrongCountNamesProblemExact) {
  ProblemSpec spec;
  spec.pde = "custom";
  spec.inputs = {"x"};
  spec.outputs = {"u", "v"};
  spec.domain = {{"x", {0.0, 1.0}}};
  spec.equations = {"u_xx + v", "v - 1"};
  spec.exact_list = {"x^2", "2*x + 1"};
  const CustomProblem p(spec, "two.yaml");
  View2<Real> u("u", 1, 2);
  p.exact(ExecSpace(), row({0.5}), u);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), u);
  EXPECT_NEAR(h(0, 0), 0.25, testing::tol(1e-15));
  EXPECT_NEAR(h(0, 1), 2.0, testing::tol(1e-15));
  spec.exact_list = {"x^2"};
  try {
    CustomProblem bad(spec, "two.yaml");
    FAIL() << "one exact expression for two outputs must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("two.yaml: problem.exact"), std::string::npos) << e.what();
  }
  spec.exact_list = {"x^2", "sin(x"};
  try {
    CustomProblem bad(spec, "two.yaml");
    FAIL() << "a malformed exact expression must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("two.yaml: problem.exact[1]"), std::string::npos) << e.what();
  }
}

}  // namespace pinnkit::pde
