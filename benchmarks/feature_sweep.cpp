#include "benchmarks/feature_sweep.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <random>
#include <stdexcept>

#include "models/param_store.hpp"
#include "solvers/adam.hpp"
#include "solvers/odelora.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::bench {

namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;

Mat gaussian(int rows, int cols, double stddev, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, stddev);
  Mat x(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) x(i, j) = normal(rng);
  return x;
}

Mat orthonormal_columns(const Mat& x) {
  return Eigen::HouseholderQR<Mat>(x).householderQ() * Mat::Identity(x.rows(), x.cols());
}

double rms(const Mat& x) { return x.norm() / std::sqrt(double(x.size())); }

std::vector<double> flat(const Mat& x) {  // row-major, as the ParamStore holds blocks
  std::vector<double> v;
  v.reserve(std::size_t(x.size()));
  for (int i = 0; i < x.rows(); ++i)
    for (int j = 0; j < x.cols(); ++j) v.push_back(x(i, j));
  return v;
}

Mat shaped(const std::vector<double>& v, int rows, int cols) {
  Mat out(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) out(i, j) = v[std::size_t(i) * cols + j];
  return out;
}

}  // namespace

const char* name(Readout readout) { return readout == Readout::mup ? "mup" : "standard"; }
const char* name(Subspaces subspaces) { return subspaces == Subspaces::aligned ? "aligned" : "random"; }
const char* name(Factors factors) { return factors == Factors::balanced ? "balanced" : "fanin"; }

const std::vector<std::string>& feature_methods() {
  static const std::vector<std::string> methods{"full_gd",  "odelora_euler", "odelora_rk4", "scaled_gd",
                                                "lora_sgd", "lora_adam",     "lora_plus"};
  return methods;
}

struct FeatureProblem::Impl {
  int n;
  FeatureSetup setup;
  Mat h;   ///< H, n x N: the adapted layer's inputs
  Mat z0;  ///< W0 H (before the shift by -s B0 A0)
  Vec v, y;
  std::vector<Mat> random_u, random_v;  ///< n x r orthonormal, one per draw

  double readout_scale(Readout readout) const { return readout == Readout::mup ? 1.0 / n : 1.0 / std::sqrt(double(n)); }
  /// Loss and Delta = dL/dZ at pre-activations z.
  double loss(const Mat& z, Readout readout, Mat* delta) const {
    const double c = readout_scale(readout);
    const Mat act = z.array().tanh().matrix();
    const Vec f = c * act.transpose() * v;
    const Vec e = (f - y) / double(setup.batch);
    if (delta) *delta = c * ((1.0 - act.array().square()).colwise() * v.array()).matrix() * e.asDiagonal();
    return 0.5 * (f - y).squaredNorm() / setup.batch;
  }
};

namespace {

/// The LoRA factors of the adapted layer as a ParamStore, with the loss as a
/// StepOracle: z = W0 H + s (B A - B0 A0) H.
class Oracle : public solvers::StepOracle {
 public:
  Oracle(const FeatureProblem::Impl& p, Readout readout, const Mat& b0, const Mat& a0)
      : p_(p), readout_(readout), b0a0h_(b0 * (a0 * p.h)) {
    const int n = p.n, r = p.setup.rank;
    s_.add("B", {n, r}, "lora_B");
    s_.add("A", {r, n}, "lora_A");
    s_.finalize();
    s_.block_from_host("B", flat(b0));
    s_.block_from_host("A", flat(a0));
  }
  models::ParamStore& store() override { return s_; }
  Mat b() const { return shaped(s_.block_to_host("B"), p_.n, p_.setup.rank); }
  Mat a() const { return shaped(s_.block_to_host("A"), p_.setup.rank, p_.n); }
  solvers::FactorLayout layout() const {
    return {s_.block("B").offset, s_.block("A").offset, p_.n, p_.setup.rank, p_.n};
  }
  solvers::LossValues value_and_grad(const ExecSpace&) override {
    ++evaluations_;
    const Mat b_now = b(), a_now = a(), ah = a_now * p_.h;
    Mat delta;
    solvers::LossValues values;
    values.total = p_.loss(p_.z0 + b_now * ah - b0a0h_, readout_, &delta);
    const Mat gb = delta * ah.transpose(), ga = (b_now.transpose() * delta) * p_.h.transpose();
    auto grads = Kokkos::create_mirror_view(s_.grads());
    const auto put = [&](const Mat& g, std::size_t offset) {
      for (int i = 0; i < g.rows(); ++i)
        for (int j = 0; j < g.cols(); ++j) grads(offset + std::size_t(i) * g.cols() + j) = static_cast<Real>(g(i, j));
    };
    put(gb, s_.block("B").offset);
    put(ga, s_.block("A").offset);
    Kokkos::deep_copy(s_.grads(), grads);
    return values;
  }

 private:
  const FeatureProblem::Impl& p_;
  Readout readout_;
  Mat b0a0h_;
  models::ParamStore s_;
};

std::unique_ptr<solvers::Stepper> make_stepper(const std::string& method, const solvers::TrainableEntries& entries,
                                               const solvers::FactorLayout& layout) {
  using namespace solvers;
  if (method == "odelora_euler" || method == "odelora_rk4") {
    OdeLoraSettings settings;
    settings.damping = 0.0;
    settings.integrator = method == "odelora_rk4" ? OdeLoraIntegrator::rk4 : OdeLoraIntegrator::euler;
    return std::make_unique<OdeLora>(entries, std::vector<FactorLayout>{layout}, settings);
  }
  if (method == "scaled_gd")
    return std::make_unique<GradientStepper>(
        std::make_unique<ScaledGd>(entries, std::vector<FactorLayout>{layout}, ScaledGdSettings{0.0}));
  if (method == "lora_sgd")
    return std::make_unique<GradientStepper>(std::make_unique<Sgd>(entries, SgdSettings{0.0, false}));
  if (method == "lora_adam" || method == "lora_plus") {
    AdamSettings settings;
    if (method == "lora_plus") settings.group_lr = {{"lora_B", 16.0}};
    return std::make_unique<GradientStepper>(std::make_unique<Adam>(entries, settings));
  }
  throw std::invalid_argument("feature_sweep: unknown method " + method);
}

}  // namespace

FeatureProblem::FeatureProblem(int width, const FeatureSetup& setup) : impl_(std::make_unique<Impl>()) {
  auto& p = *impl_;
  p.n = width;
  p.setup = setup;
  if (width < setup.batch || width < setup.rank)
    throw std::invalid_argument("feature_sweep: the width must be at least the batch size and the rank");
  // Inputs and targets do not depend on the width; the weights are drawn per width.
  std::mt19937_64 data_rng(setup.seed);
  const Mat x = gaussian(setup.inputs, setup.batch, 1.0, data_rng);
  p.y = gaussian(setup.batch, 1, 1.0, data_rng);
  std::mt19937_64 rng(setup.seed * 1000003u + std::uint64_t(width));
  p.h = (gaussian(width, setup.inputs, 1.0 / std::sqrt(double(setup.inputs)), rng) * x).array().tanh().matrix();
  p.z0 = gaussian(width, width, 1.0 / std::sqrt(double(width)), rng) * p.h;
  p.v = gaussian(width, 1, 1.0, rng);
  for (int k = 0; k < setup.random_draws; ++k) {
    p.random_u.push_back(orthonormal_columns(gaussian(width, setup.rank, 1.0, rng)));
    p.random_v.push_back(orthonormal_columns(gaussian(width, setup.rank, 1.0, rng)));
  }
}

FeatureProblem::~FeatureProblem() = default;

int FeatureProblem::width() const { return impl_->n; }

FeatureUpdate FeatureProblem::one_step(const FeatureCase& c) const {
  const auto& p = *impl_;
  const int n = p.n, r = p.setup.rank;
  FeatureUpdate out;
  out.width = n;
  out.feature_rms = rms(p.z0);
  Mat delta0;
  out.loss_before = p.loss(p.z0, c.readout, &delta0);
  if (c.method == "full_gd") {  // W -= lr G, G = Delta H^T: the features move by -lr Delta (H^T H)
    const Mat dz = -c.lr * delta0 * (p.h.transpose() * p.h);
    out.total = rms(dz);
    out.delta_b = out.delta_a = out.delta_ba = std::nan("");
    out.first_order = out.total;
    out.loss_after = p.loss(p.z0 + dz, c.readout, nullptr);
    out.evaluations = 1;
    return out;
  }
  if (c.subspaces == Subspaces::aligned) {
    // Top-r singular vectors of G0 = Delta0 H^T without forming it:
    // Delta0 = Q1 R1, H = Q2 R2, G0 = Q1 (R1 R2^T) Q2^T.
    Eigen::HouseholderQR<Mat> qr1(delta0), qr2(p.h);
    const int nb = p.setup.batch;
    const Mat q1 = qr1.householderQ() * Mat::Identity(n, nb), q2 = qr2.householderQ() * Mat::Identity(n, nb);
    const Mat r1 = qr1.matrixQR().topRows(nb).triangularView<Eigen::Upper>();
    const Mat r2 = qr2.matrixQR().topRows(nb).triangularView<Eigen::Upper>();
    Eigen::JacobiSVD<Mat> svd(r1 * r2.transpose(), Eigen::ComputeFullU | Eigen::ComputeFullV);
    step_from(c, q1 * svd.matrixU().leftCols(r), q2 * svd.matrixV().leftCols(r), out);
    return out;
  }
  // Random subspaces: mean squares over the draws.
  FeatureUpdate sum = out;
  sum.loss_after = 0;
  const double draws = double(p.random_u.size());
  for (std::size_t k = 0; k < p.random_u.size(); ++k) {
    FeatureUpdate one = out;
    step_from(c, p.random_u[k], p.random_v[k], one);
    sum.delta_b += one.delta_b * one.delta_b / draws, sum.delta_a += one.delta_a * one.delta_a / draws;
    sum.delta_ba += one.delta_ba * one.delta_ba / draws, sum.total += one.total * one.total / draws;
    sum.first_order += one.first_order * one.first_order / draws;
    sum.loss_after += one.loss_after / draws;
    sum.evaluations = one.evaluations;
  }
  sum.delta_b = std::sqrt(sum.delta_b), sum.delta_a = std::sqrt(sum.delta_a);
  sum.delta_ba = std::sqrt(sum.delta_ba), sum.total = std::sqrt(sum.total);
  sum.first_order = std::sqrt(sum.first_order);
  return sum;
}

void FeatureProblem::step_from(const FeatureCase& c, const Eigen::MatrixXd& u, const Eigen::MatrixXd& w,
                               FeatureUpdate& out) const {
  const auto& p = *impl_;
  const int n = p.n, r = p.setup.rank;
  const double sigma = p.setup.sigma;
  const double b_scale = c.factors == Factors::balanced ? sigma : sigma * std::sqrt(double(n) / r);
  const double a_scale = sigma * sigma / b_scale;
  const Mat b0 = b_scale * u, a0 = a_scale * w.transpose();  // B0 A0 = sigma^2 u w^T

  Oracle oracle(p, c.readout, b0, a0);
  const solvers::TrainableEntries entries(oracle.store());
  auto stepper = make_stepper(c.method, entries, oracle.layout());
  const ExecSpace exec;
  oracle.value_and_grad(exec);
  stepper->step(exec, oracle, c.lr);
  exec.fence();
  out.evaluations = oracle.evaluations();
  const Mat db = oracle.b() - b0, da = oracle.a() - a0;
  const Mat dah = da * p.h;
  const Mat delta_b = db * (a0 * p.h), delta_a = b0 * dah;
  out.delta_b = rms(delta_b);
  out.delta_a = rms(delta_a);
  out.first_order = rms(delta_b + delta_a);
  out.delta_ba = rms(db * dah);
  out.total = rms(oracle.b() * (oracle.a() * p.h) - b0 * (a0 * p.h));
  out.loss_after = oracle.value_and_grad(exec).total;
}

double loglog_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t k = x.size();
  if (k < 2 || y.size() != k) return std::nan("");
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < k; ++i) mx += std::log(x[i]) / k, my += std::log(y[i]) / k;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < k; ++i) {
    sxx += (std::log(x[i]) - mx) * (std::log(x[i]) - mx);
    sxy += (std::log(x[i]) - mx) * (std::log(y[i]) - my);
  }
  return sxy / sxx;
}

}  // namespace pinnkit::bench
