// ODELoRA (methods.md 4): the field against its defining identities (the
// induced dW is minus the tangent-space projection of G, balance is
// preserved, dW is invariant under (B, A) -> (B R, R^-1 A)), the ablations
// (no Z = ScaledGD, no Z and no preconditioners = plain gradient descent),
// the integrators' measured orders and their per-step imbalance, the
// rebalancing retraction and the registry entry.
//
// Deliberate bugs these tests caught when tried (docs/methods.md 4):
// - Z dropped from dB (kept in dA): TangentProjection, Balance, Invariance and
//   the one-step imbalance order fail.
// - Q^-1 in place of P^-1 in dA: TangentProjection, Balance, Invariance and the
//   ScaledGD ablation fail.
// - RK4 weights (1/6, 1/3, 1/3, 1/6) -> (1/4, 1/4, 1/4, 1/4): measured order 2,
//   not 4; the imbalance order test fails too.
// - Heun's second stage at x0 + h/2 k1: measured order 1, not 2.
// - Rebalancing applying R (not R^-1) to A: the rebalancing and imbalance tests fail.
#include <gtest/gtest.h>

#include <limits>

#include "support/fp_traps.hpp"
#include "support/gradcheck.hpp"
#include "support/stepper_support.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <iostream>
#include <random>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "models/param_store.hpp"
#include "solvers/odelora.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"

namespace pinnkit::solvers {

namespace {

using Mat = Eigen::MatrixXd;
constexpr bool exact = std::is_same<Real, double>::value;

Mat random_matrix(int rows, int cols, std::mt19937& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  Mat m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = normal(rng);
  return m;
}

std::vector<double> flat(const Mat& x) {
  std::vector<double> v;
  for (int i = 0; i < x.rows(); ++i)
    for (int j = 0; j < x.cols(); ++j) v.push_back(x(i, j));
  return v;
}

Mat shaped(const std::vector<double>& v, std::size_t offset, int rows, int cols) {
  Mat out(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) out(i, j) = v[offset + std::size_t(i) * cols + j];
  return out;
}

void to_device(const std::vector<double>& host, const View1<Real>& dev) {
  auto m = Kokkos::create_mirror_view(dev);
  for (std::size_t i = 0; i < host.size(); ++i) m(i) = static_cast<Real>(host[i]);
  Kokkos::deep_copy(dev, m);
}

std::vector<double> to_host(const View1<const Real>& dev) {
  auto m = Kokkos::create_mirror_view_and_copy(HostSpace(), dev);
  return std::vector<double>(m.data(), m.data() + m.extent(0));
}

/// A store with a plain block, a frozen block and one factor pair, and the
/// oracle of f = 0.5 ||B A - M||^2 + 0.5 ||bias - c||^2.
struct PairProblem : StepOracle {
  models::ParamStore s;
  int m, r, n;
  Mat target;
  Eigen::Vector3d c{0.3, -0.2, 0.5};
  PairProblem(int m_, int r_, int n_) : m(m_), r(r_), n(n_), target(Mat::Zero(m_, n_)) {
    s.add("bias", {3});
    s.add("frozen", {2}, "default", false);
    s.add("B", {m, r}, "lora_B");
    s.add("A", {r, n}, "lora_A");
    s.finalize();
  }
  models::ParamStore& store() override { return s; }
  FactorLayout layout() const { return {s.block("B").offset, s.block("A").offset, m, r, n}; }
  adapters::AdapterStructure structure() const { return {{{"B", "A", 1.0}}, {}, {}}; }
  Mat b() const { return shaped(s.block_to_host("B"), 0, m, r); }
  Mat a() const { return shaped(s.block_to_host("A"), 0, r, n); }
  void set(const Mat& b, const Mat& a) {
    s.block_from_host("B", flat(b));
    s.block_from_host("A", flat(a));
  }
  /// Writes gB = G A^T, gA = B^T G for a given G (and the bias gradient) into the store.
  void set_grads(const Mat& g) {
    auto grads = s.grads_to_host();
    const auto gb = flat(g * a().transpose()), ga = flat(b().transpose() * g);
    std::copy(gb.begin(), gb.end(), grads.begin() + s.block("B").offset);
    std::copy(ga.begin(), ga.end(), grads.begin() + s.block("A").offset);
    const auto p = s.params_to_host();
    for (int i = 0; i < 3; ++i) grads[i] = p[i] - c(i);
    grads[3] = 1e3, grads[4] = -1e3;  // frozen: anything
    to_device(grads, s.grads());
  }
  LossValues value_and_grad(const ExecSpace&) override {
    ++evaluations_;
    const Mat g = b() * a() - target;
    set_grads(g);
    const auto p = s.params_to_host();
    double bias = 0;
    for (int i = 0; i < 3; ++i) bias += (p[i] - c(i)) * (p[i] - c(i));
    LossValues v;
    v.total = 0.5 * g.squaredNorm() + 0.5 * bias;
    return v;
  }
  /// The field at the store's state with the store's gradient: (dB, dA, all).
  std::vector<double> field(OdeLora& ode) {
    View1<Real> out("field", s.size());
    ode.field(ExecSpace(), s.params(), s.grads(), out);
    return to_host(out);
  }
};

OdeLoraSettings exact_field(OdeLoraIntegrator integrator = OdeLoraIntegrator::euler) {
  OdeLoraSettings settings;
  settings.integrator = integrator;
  settings.damping = 0.0;
  return settings;
}

/// P_T(G) = P_B G + G P_A - P_B G P_A for the rank-r manifold at B A.
Mat tangent_projection(const Mat& b, const Mat& a, const Mat& g) {
  const Mat pb = b * (b.transpose() * b).inverse() * b.transpose();
  const Mat pa = a.transpose() * (a * a.transpose()).inverse() * a;
  return pb * g + g * pa - pb * g * pa;
}

struct FieldAt {
  Mat db, da;
  std::vector<double> all;
};

FieldAt field_at(const Mat& b, const Mat& a, const Mat& g, OdeLoraSettings settings = exact_field()) {
  PairProblem p(static_cast<int>(b.rows()), static_cast<int>(b.cols()), static_cast<int>(a.cols()));
  p.set(b, a);
  p.set_grads(g);
  OdeLora ode(TrainableEntries(p.s), {p.layout()}, settings);
  FieldAt f;
  f.all = p.field(ode);
  f.db = shaped(f.all, p.s.block("B").offset, p.m, p.r);
  f.da = shaped(f.all, p.s.block("A").offset, p.r, p.n);
  return f;
}

}  // namespace

TEST(OdeLora, InducedUpdateIsMinusTheTangentProjectionOfTheGradient) {
  PINNKIT_REQUIRE_DOUBLE();
  std::mt19937 rng(21);
  for (int trial = 0; trial < 3; ++trial) {
    const int m = 7 + trial, r = 1 + trial, n = 5;
    Eigen::VectorXd spread = Eigen::VectorXd::LinSpaced(r, 1.0, 10.0);  // unbalanced, ill-conditioned factors
    const Mat b = random_matrix(m, r, rng) * spread.asDiagonal(), a = random_matrix(r, n, rng);
    const Mat g = random_matrix(m, n, rng);
    const auto f = field_at(b, a, g);
    const Mat dw = f.db * a + b * f.da, expected = -tangent_projection(b, a, g);
    EXPECT_LT((dw - expected).norm(), 1e-10 * expected.norm()) << "rank " << r;
    // Not just G itself: the projection drops the part of G outside the tangent space.
    EXPECT_GT((expected + g).norm(), 0.1 * g.norm());
    // Plain entries follow -g, frozen ones stay.
    EXPECT_DOUBLE_EQ(f.all[0], -(0.0 - 0.3));
    EXPECT_EQ(f.all[3], 0.0);
    EXPECT_EQ(f.all[4], 0.0);
  }
}

TEST(OdeLora, ExactFieldPreservesTheBalance) {
  PINNKIT_REQUIRE_DOUBLE();
  std::mt19937 rng(22);
  const int m = 8, r = 3, n = 6;
  const Mat b = random_matrix(m, r, rng), a = 2.0 * random_matrix(r, n, rng), g = random_matrix(m, n, rng);
  const auto f = field_at(b, a, g);
  const Mat d_imbalance = f.db.transpose() * b + b.transpose() * f.db - f.da * a.transpose() - a * f.da.transpose();
  const double size = (f.db.transpose() * b).norm() + (f.da * a.transpose()).norm();
  EXPECT_LT(d_imbalance.norm(), 1e-12 * size) << d_imbalance;
  // ScaledGD's field (no Z) does not preserve it.
  auto no_z = exact_field();
  no_z.drop_z = true;
  const auto s = field_at(b, a, g, no_z);
  EXPECT_GT((s.db.transpose() * b + b.transpose() * s.db - s.da * a.transpose() - a * s.da.transpose()).norm(),
            1e-3 * size);
}

TEST(OdeLora, InducedUpdateIsInvariantUnderFactorReparametrisation) {
  PINNKIT_REQUIRE_DOUBLE();
  std::mt19937 rng(23);
  const int m = 6, r = 3, n = 5;
  const Mat b = random_matrix(m, r, rng), a = random_matrix(r, n, rng), g = random_matrix(m, n, rng);
  const Mat rot = random_matrix(r, r, rng) + 3.0 * Mat::Identity(r, r);
  const auto f1 = field_at(b, a, g), f2 = field_at(b * rot, rot.inverse() * a, g);
  const Mat dw1 = f1.db * a + b * f1.da, dw2 = f2.db * rot.inverse() * a + b * rot * f2.da;
  EXPECT_LT((dw1 - dw2).norm(), 1e-10 * dw1.norm());
  // Plain LoRA gradient flow is not invariant.
  auto plain = exact_field();
  plain.drop_z = plain.drop_preconditioners = true;
  const auto p1 = field_at(b, a, g, plain), p2 = field_at(b * rot, rot.inverse() * a, g, plain);
  EXPECT_GT(((p1.db * a + b * p1.da) - (p2.db * rot.inverse() * a + b * rot * p2.da)).norm(), 1e-2 * dw1.norm());
}

TEST(OdeLora, DroppingZIsScaledGdAndDroppingThePreconditionersIsGradientDescent) {
  std::mt19937 rng(24);
  const int m = 5, r = 2, n = 4;
  const Mat b = random_matrix(m, r, rng), a = random_matrix(r, n, rng), target = random_matrix(m, n, rng);
  const double lr = 0.05, damping = 0.1, tol = exact ? 1e-13 : 1e-5;
  auto one_step = [&](bool ode, bool preconditioned) {
    PairProblem p(m, r, n);
    p.target = target;
    p.set(b, a);
    p.value_and_grad(ExecSpace());
    const TrainableEntries entries(p.s);
    if (ode) {
      OdeLoraSettings settings;
      settings.integrator = OdeLoraIntegrator::euler;
      settings.damping = damping;
      settings.drop_z = true;
      settings.drop_preconditioners = !preconditioned;
      OdeLora(entries, {p.layout()}, settings).step(ExecSpace(), p, lr);
    } else if (preconditioned) {
      ScaledGd(entries, {p.layout()}, ScaledGdSettings{damping}).step(p.s.params(), p.s.grads(), lr);
    } else {
      Sgd(entries, SgdSettings{0.0, false}).step(p.s.params(), p.s.grads(), lr);
    }
    return p.s.params_to_host();
  };
  for (bool preconditioned : {true, false}) {
    const auto x = one_step(true, preconditioned), y = one_step(false, preconditioned);
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], tol) << i << " preconditioned " << preconditioned;
  }
  // ... and with Z it is neither.
  PairProblem p(m, r, n);
  p.target = target;
  p.set(b, a);
  p.value_and_grad(ExecSpace());
  OdeLoraSettings settings;
  settings.integrator = OdeLoraIntegrator::euler;
  settings.damping = damping;
  OdeLora(TrainableEntries(p.s), {p.layout()}, settings).step(ExecSpace(), p, lr);
  const auto z = p.s.params_to_host(), sgd = one_step(false, true);
  double diff = 0;
  for (std::size_t i = 0; i < z.size(); ++i) diff = std::max(diff, std::abs(z[i] - sgd[i]));
  EXPECT_GT(diff, 1e-4);
}

namespace {

/// The state (all parameters) after integrating f = 0.5 ||B A - M||^2 from
/// (b0, a0) to time T in `steps` steps.
std::vector<double> integrate(OdeLoraIntegrator integrator, const Mat& b0, const Mat& a0, const Mat& target,
                              double T, int steps, bool rebalance = false) {
  PairProblem p(static_cast<int>(b0.rows()), static_cast<int>(b0.cols()), static_cast<int>(a0.cols()));
  p.target = target;
  p.set(b0, a0);
  auto settings = exact_field(integrator);
  settings.rebalance = rebalance;
  OdeLora ode(TrainableEntries(p.s), {p.layout()}, settings);
  p.value_and_grad(ExecSpace());
  for (int k = 0; k < steps; ++k) {
    ode.step(ExecSpace(), p, T / steps);
    p.value_and_grad(ExecSpace());
  }
  return p.s.params_to_host();
}

double distance(const std::vector<double>& x, const std::vector<double>& y) {
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) d += (x[i] - y[i]) * (x[i] - y[i]);
  return std::sqrt(d);
}

struct Start {
  Mat b, a, target;
};
Start smooth_start() {
  std::mt19937 rng(25);
  const int m = 6, r = 2, n = 5;
  return {random_matrix(m, r, rng), random_matrix(r, n, rng), random_matrix(m, n, rng)};
}

}  // namespace

TEST(OdeLora, IntegratorsConvergeAtOrdersOneTwoAndFour) {
  PINNKIT_REQUIRE_DOUBLE();
  const auto s = smooth_start();
  const double T = 0.5;
  const auto reference = integrate(OdeLoraIntegrator::rk4, s.b, s.a, s.target, T, 200);
  struct Case {
    OdeLoraIntegrator integrator;
    int coarse;
    double order;
  };
  for (const Case c : {Case{OdeLoraIntegrator::euler, 40, 1.0}, Case{OdeLoraIntegrator::heun, 20, 2.0},
                       Case{OdeLoraIntegrator::rk4, 10, 4.0}}) {
    const double e1 = distance(integrate(c.integrator, s.b, s.a, s.target, T, c.coarse), reference);
    const double e2 = distance(integrate(c.integrator, s.b, s.a, s.target, T, 2 * c.coarse), reference);
    const double e3 = distance(integrate(c.integrator, s.b, s.a, s.target, T, 4 * c.coarse), reference);
    const double o1 = std::log2(e1 / e2), o2 = std::log2(e2 / e3);
    std::cout << "[ orders   ] " << odelora_integrators()[int(c.integrator)] << ": " << o1 << ", " << o2 << "\n";
    EXPECT_NEAR(o1, c.order, 0.2) << odelora_integrators()[int(c.integrator)] << " errors " << e1 << " " << e2;
    EXPECT_NEAR(o2, c.order, 0.2) << odelora_integrators()[int(c.integrator)] << " errors " << e2 << " " << e3;
  }
}

TEST(OdeLora, OneStepImbalanceIsOfOrderHToTheOrderPlusOne) {
  PINNKIT_REQUIRE_DOUBLE();
  auto s = smooth_start();
  // A balanced start (rebalanced random factors).
  {
    PairProblem p(6, 2, 5);
    p.set(s.b, s.a);
    OdeLora(TrainableEntries(p.s), {p.layout()}, exact_field()).rebalance(ExecSpace(), p.s.params());
    s.b = p.b(), s.a = p.a();
  }
  auto imbalance = [&](OdeLoraIntegrator integrator, double h) {
    const auto x = integrate(integrator, s.b, s.a, s.target, h, 1);
    const Mat b = shaped(x, 5, 6, 2), a = shaped(x, 5 + 12, 2, 5);
    return (b.transpose() * b - a * a.transpose()).norm();
  };
  for (int i = 0; i < 3; ++i) {
    const auto integrator = static_cast<OdeLoraIntegrator>(i);
    const int order = i == 0 ? 1 : i == 1 ? 2 : 4;
    const double h = i == 2 ? 0.1 : 0.02;
    const double big = imbalance(integrator, h), small = imbalance(integrator, h / 2);
    std::cout << "[ imbalance] " << odelora_integrators()[i] << ": log2 ratio " << std::log2(big / small) << "\n";
    // At least O(h^(p+1)): halving h divides it by 2^(p+1) or more.
    EXPECT_GT(std::log2(big / small), order + 1 - 0.2)
        << odelora_integrators()[i] << ": " << big << " -> " << small;
    EXPECT_LT(big, 1e-2);
  }
}

TEST(OdeLora, RebalancingMakesTheGramsEqualAndKeepsTheProduct) {
  PINNKIT_REQUIRE_DOUBLE();
  std::mt19937 rng(26);
  PairProblem p(7, 3, 4);
  Eigen::VectorXd spread(3);
  spread << 5.0, 1.0, 0.2;
  const Mat b = random_matrix(7, 3, rng) * spread.asDiagonal(), a = random_matrix(3, 4, rng);
  p.set(b, a);
  OdeLora(TrainableEntries(p.s), {p.layout()}, exact_field()).rebalance(ExecSpace(), p.s.params());
  const Mat b1 = p.b(), a1 = p.a();
  EXPECT_LT((b1 * a1 - b * a).norm(), 1e-12 * (b * a).norm());
  EXPECT_LT((b1.transpose() * b1 - a1 * a1.transpose()).norm(), 1e-12 * (a1 * a1.transpose()).norm());
  EXPECT_GT((b.transpose() * b - a * a.transpose()).norm(), 1.0);
  // With rebalance on, the state after RK4 steps is balanced to rounding.
  const auto s = smooth_start();
  const auto x = integrate(OdeLoraIntegrator::rk4, s.b, s.a, s.target, 0.5, 5, true);
  const Mat bx = shaped(x, 5, 6, 2), ax = shaped(x, 17, 2, 5);
  EXPECT_LT((bx.transpose() * bx - ax * ax.transpose()).norm(), 1e-12 * (ax * ax.transpose()).norm());
}

TEST(OdeLora, EachRungeKuttaStageEvaluatesTheOracleOnce) {
  const auto s = smooth_start();
  for (int i = 0; i < 3; ++i) {
    PairProblem p(6, 2, 5);
    p.target = s.target;
    p.set(s.b, s.a);
    p.value_and_grad(ExecSpace());
    const int before = p.evaluations();
    OdeLora ode(TrainableEntries(p.s), {p.layout()}, exact_field(static_cast<OdeLoraIntegrator>(i)));
    const auto report = ode.step(ExecSpace(), p, 0.1);
    EXPECT_FALSE(report.evaluated);
    // Stage 1 reuses the gradient at x_k; the trainer evaluates x_k+1.
    EXPECT_EQ(p.evaluations() - before, odelora_stages(static_cast<OdeLoraIntegrator>(i)) - 1);
  }
}

TEST(OdeLora, SingularFactorsWithoutDampingAreRefused) {
  PairProblem p(4, 2, 3);
  std::mt19937 rng(27);
  p.set(Mat::Zero(4, 2), random_matrix(2, 3, rng));  // B = 0: the standard LoRA init
  p.value_and_grad(ExecSpace());
  OdeLora ode(TrainableEntries(p.s), {p.layout()}, exact_field());
  EXPECT_THROW(ode.step(ExecSpace(), p, 0.1), InternalError);
  auto damped = exact_field();
  damped.damping = 1e-3;
  OdeLora ok(TrainableEntries(p.s), {p.layout()}, damped);
  ok.step(ExecSpace(), p, 0.1);
  EXPECT_TRUE(p.b().allFinite() && p.a().allFinite());
}

// A diverging run hands the field non-finite factors (an RK4 trial point
// that overflowed): the step must give non-finite factors, which the trainer
// reports as divergence, not throw an internal error from the decomposition.
TEST(OdeLora, NonFiniteFactorsGiveANonFiniteStepNotAnError) {
  testing::FpTrapsOff traps_off;  // the infinite factor makes NaNs on purpose
  const auto s = smooth_start();
  for (int i = 0; i < 3; ++i) {
    PairProblem p(6, 2, 5);
    p.target = s.target;
    Mat b = s.b;
    b(0, 0) = std::numeric_limits<double>::infinity();
    p.set(b, s.a);
    p.value_and_grad(ExecSpace());
    auto field = exact_field(static_cast<OdeLoraIntegrator>(i));
    field.rebalance = true;
    OdeLora ode(TrainableEntries(p.s), {p.layout()}, field);
    EXPECT_NO_THROW(ode.step(ExecSpace(), p, 0.1));
    EXPECT_FALSE(p.b().allFinite() && p.a().allFinite()) << "integrator " << i;
  }
}

TEST(OdeLora, TheRegistryBuildsItFromTheAdaptersFactorPairs) {
  PairProblem p(4, 2, 3);
  std::mt19937 rng(28);
  p.set(random_matrix(4, 2, rng), random_matrix(2, 3, rng));
  p.value_and_grad(ExecSpace());
  StageSpec stage;
  stage.optimizer = "odelora";
  stage.integrator = "heun";
  stage.damping = 0.0;
  const TrainableEntries entries(p.s);
  try {
    stepper_for(stage, p.s, entries);
    ADD_FAILURE() << "odelora without factor pairs must be an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("training[0].optimizer"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no adapter"), std::string::npos) << e.what();
  }
  const int before = p.evaluations();
  stepper_for(stage, p.s, entries, p.structure())->step(ExecSpace(), p, 0.1);
  EXPECT_EQ(p.evaluations() - before, 1);  // heun: one more stage
  // Frozen factors: nothing to integrate.
  p.s.set_trainable("B", false);
  EXPECT_THROW(stepper_for(stage, p.s, TrainableEntries(p.s), p.structure()), InputError);
}

}  // namespace pinnkit::solvers
