// Unknowns in expressions (problem.unknowns): compiled as dual-number columns
// after the jet entries, so the residual's partials include dr/d(unknown);
// operator conditions read whatever derivative their expression names.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pde/custom_problem.hpp"
#include "pde/expr_compile.hpp"
#include "pde/expr_residual.hpp"
#include "support/precision.hpp"

namespace pinnkit::pde {

// "u_t - k*u_xx + k^2*u" with k unknown: columns u, u_t, u_xx, then k;
// dr/dk = -u_xx + 2 k u exactly, from the same dual evaluation as dr/d(read).
TEST(ExprUnknowns, AreDualColumnsAfterTheReads) {
  const ExprSymbols symbols{{"x", "t"}, {"u"}, {{"c", 2.0}}, {"k"}};
  const ExprResidual res({"u_t - k*u_xx + k^2*u + c", "test"}, symbols);
  ASSERT_EQ(res.reads().size(), 3u);
  ASSERT_EQ(res.unknowns(), std::vector<int>{0});
  EXPECT_EQ(res.columns(), 4);
  const double u = 0.3, ut = -1.1, uxx = 0.7, k = 0.25;
  View2<Real> points("p", 1, 2), values("v", 1, 4), dr("dr", 1, 4);
  View1<Real> r("r", 1);
  auto hv = Kokkos::create_mirror_view(values);
  hv(0, 0) = u;  // canonical order: u, u_t (order 1), u_xx (order 2)
  hv(0, 1) = ut;
  hv(0, 2) = uxx;
  hv(0, 3) = k;
  Kokkos::deep_copy(values, hv);
  res.evaluate(ExecSpace(), points, values, r, dr);
  const auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
  const auto hd = Kokkos::create_mirror_view_and_copy(HostSpace(), dr);
  EXPECT_NEAR(hr(0), ut - k * uxx + k * k * u + 2.0, testing::tol(1e-14));
  EXPECT_NEAR(hd(0, 0), k * k, testing::tol(1e-14));
  EXPECT_NEAR(hd(0, 1), 1.0, testing::tol(1e-14));
  EXPECT_NEAR(hd(0, 2), -k, testing::tol(1e-14));
  EXPECT_NEAR(hd(0, 3), -uxx + 2 * k * u, testing::tol(1e-14));
}

// A value expression (a function of the inputs) may not read an unknown: it
// is compiled without them, and the name is then unknown.
TEST(ExprUnknowns, AreNotNamesOfFields) {
  EXPECT_THROW(ExprField({"k*x", "test"}, {"x"}), InputError);
  EXPECT_THROW(validate_symbols(ExprSymbols{{"x"}, {"u"}, {{"k", 1.0}}, {"k"}}, "test"), InputError);  // twice
}

// type: operator puts its expression on the faces it names: the beam's
// u_xx = 0 is a boundary term that reads u_xx, on x_min and x_max.
TEST(OperatorCondition, ReadsTheDerivativeItsExpressionNames) {
  ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x"};
  s.domain = {{"x", {0.0, 1.0}}};
  s.equations = {"u_xxxx - 24"};
  ConditionSpec c;
  c.type = "operator";
  c.on = {"x_min", "x_max"};
  c.expression = "u_xx";
  c.value = "0";
  s.conditions = {c};
  const CustomProblem p(s, "test.yaml");
  ASSERT_EQ(p.terms().size(), 2u);
  const auto& t = p.terms()[1];
  EXPECT_EQ(t.name, "boundary");
  EXPECT_EQ(t.parts.size(), 2u);
  ASSERT_EQ(t.residual->reads().size(), 1u);
  EXPECT_EQ(t.residual->reads()[0].alpha, MultiIndex{2});
  c.expression = "x^2";  // no output: nothing for the network to satisfy
  s.conditions = {c};
  EXPECT_THROW(CustomProblem(s, "test.yaml"), InputError);
}

}  // namespace pinnkit::pde
