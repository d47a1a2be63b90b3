// Matrix sensing with LoRA factors (docs/methods.md 4): ODELoRA (Euler, RK4)
// against factored gradient descent (plain LoRA) and ScaledGD, at condition
// numbers 1, 10, 100. Self-contained: the loss is a StepOracle over a
// ParamStore that holds B (m x r) and A (r x n); no PINN objective.
//
//   W* = U diag(s) V^T, s_k = kappa^(-(k-1)/(r-1)) (s_1 = 1, s_r = 1/kappa)
//   y_i = <A_i, W*>, A_i Gaussian (p = 6 r (m + n) of them)
//   f(B, A) = 1/(2p) sum_i (<A_i, B A> - y_i)^2
//   spectral init: -grad f at W = 0 is (1/p) sum y_i A_i; its top-r SVD
//   U_r S_r V_r^T gives B0 = U_r S_r^1/2, A0 = S_r^1/2 V_r^T (balanced).
//
// Usage: matrix_sensing [--steps N] [--out FILE.csv] [--seed S]
// Writes CSV rows kappa,method,h,step,evaluations,rel_error and prints the
// final relative error of every run. tools/plot_matrix_sensing.py plots it.
#include <Eigen/Dense>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/runtime.hpp"
#include "solvers/odelora.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"

namespace {

using namespace pinnkit;
using Mat = Eigen::MatrixXd;

struct Sensing : solvers::StepOracle {
  int m, n, r, p;
  Mat ops;  ///< p x (m n): row i = vec(A_i) (row-major)
  Eigen::VectorXd y;
  Mat w_star;
  models::ParamStore s;

  Sensing(int m_, int n_, int r_, double kappa, std::uint64_t seed) : m(m_), n(n_), r(r_), p(6 * r_ * (m_ + n_)) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    auto gaussian = [&](int rows, int cols) {
      Mat x(rows, cols);
      for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) x(i, j) = normal(rng);
      return x;
    };
    const Mat u = Eigen::HouseholderQR<Mat>(gaussian(m, r)).householderQ() * Mat::Identity(m, r);
    const Mat v = Eigen::HouseholderQR<Mat>(gaussian(n, r)).householderQ() * Mat::Identity(n, r);
    Eigen::VectorXd sv(r);
    for (int k = 0; k < r; ++k) sv(k) = r == 1 ? 1.0 : std::pow(kappa, -double(k) / (r - 1));
    w_star = u * sv.asDiagonal() * v.transpose();
    ops = gaussian(p, m * n);
    y = ops * vec(w_star);
    s.add("B", {m, r}, "lora_B");
    s.add("A", {r, n}, "lora_A");
    s.finalize();
  }
  Eigen::VectorXd vec(const Mat& w) const {
    Eigen::VectorXd out(m * n);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) out(i * n + j) = w(i, j);
    return out;
  }
  Mat unvec(const Eigen::VectorXd& x) const {
    Mat out(m, n);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) out(i, j) = x(i * n + j);
    return out;
  }
  Mat block(const std::string& name, int rows, int cols) const {
    const auto v = s.block_to_host(name);
    Mat out(rows, cols);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) out(i, j) = v[std::size_t(i) * cols + j];
    return out;
  }
  void set_block(const std::string& name, const Mat& x) {
    std::vector<double> v;
    for (int i = 0; i < x.rows(); ++i)
      for (int j = 0; j < x.cols(); ++j) v.push_back(x(i, j));
    s.block_from_host(name, v);
  }
  Mat b() const { return block("B", m, r); }
  Mat a() const { return block("A", r, n); }
  /// G = df/dW at W.
  Mat gradient(const Mat& w) const { return unvec(ops.transpose() * (ops * vec(w) - y) / p); }
  models::ParamStore& store() override { return s; }
  solvers::LossValues value_and_grad(const ExecSpace&) override {
    ++evaluations_;
    const Mat b_now = b(), a_now = a(), w = b_now * a_now;
    const Eigen::VectorXd resid = ops * vec(w) - y;
    const Mat g = unvec(ops.transpose() * resid / p);
    const Mat gb = g * a_now.transpose(), ga = b_now.transpose() * g;
    std::vector<double> grads;
    for (int i = 0; i < m; ++i)
      for (int k = 0; k < r; ++k) grads.push_back(gb(i, k));
    for (int k = 0; k < r; ++k)
      for (int j = 0; j < n; ++j) grads.push_back(ga(k, j));
    auto mirror = Kokkos::create_mirror_view(s.grads());
    for (std::size_t i = 0; i < grads.size(); ++i) mirror(i) = static_cast<Real>(grads[i]);
    Kokkos::deep_copy(s.grads(), mirror);
    solvers::LossValues v;
    v.total = 0.5 * resid.squaredNorm() / p;
    return v;
  }
  void spectral_init() {
    const Mat g0 = -gradient(Mat::Zero(m, n));
    Eigen::JacobiSVD<Mat> svd(g0, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::VectorXd root = svd.singularValues().head(r).cwiseSqrt();
    set_block("B", svd.matrixU().leftCols(r) * root.asDiagonal());
    set_block("A", root.asDiagonal() * svd.matrixV().leftCols(r).transpose());
  }
  double rel_error() const { return (b() * a() - w_star).norm() / w_star.norm(); }
  solvers::FactorLayout layout() const { return {s.block("B").offset, s.block("A").offset, m, r, n}; }
};

struct Method {
  std::string name;
  double h;
};

}  // namespace

int main(int argc, char** argv) {
  int steps = 100;
  std::string out = "matrix_sensing.csv";
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--steps" && i + 1 < argc)
      steps = std::atoi(argv[++i]);
    else if (arg == "--out" && i + 1 < argc)
      out = argv[++i];
    else if (arg == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::cerr << "usage: matrix_sensing [--steps N] [--out FILE.csv] [--seed S]\n";
      return 2;
    }
  }
  if (steps < 1) {
    std::cerr << "matrix_sensing: --steps: expected a positive integer\n";
    return 2;
  }
  Runtime runtime;
  std::ofstream csv(out);
  csv << "kappa,method,h,step,evaluations,rel_error\n";
  csv.precision(17);
  const std::vector<Method> methods{
      {"odelora_euler", 0.5}, {"odelora_rk4", 1.0}, {"factored_gd", 0.5}, {"scaled_gd", 0.5}};
  const ExecSpace exec;
  for (double kappa : {1.0, 10.0, 100.0}) {
    for (const auto& method : methods) {
      Sensing problem(40, 40, 3, kappa, seed);
      problem.spectral_init();
      const solvers::TrainableEntries entries(problem.s);
      std::unique_ptr<solvers::Stepper> stepper;
      if (method.name == "factored_gd")
        stepper = std::make_unique<solvers::GradientStepper>(
            std::make_unique<solvers::Sgd>(entries, solvers::SgdSettings{0.0, false}));
      else if (method.name == "scaled_gd")
        stepper = std::make_unique<solvers::GradientStepper>(
            std::make_unique<solvers::ScaledGd>(entries, std::vector<solvers::FactorLayout>{problem.layout()},
                                                solvers::ScaledGdSettings{0.0}));
      else {
        solvers::OdeLoraSettings settings;
        settings.damping = 0.0;
        settings.integrator =
            method.name == "odelora_rk4" ? solvers::OdeLoraIntegrator::rk4 : solvers::OdeLoraIntegrator::euler;
        stepper = std::make_unique<solvers::OdeLora>(entries, std::vector<solvers::FactorLayout>{problem.layout()},
                                                     settings);
      }
      problem.value_and_grad(exec);
      auto row = [&](int k) {
        csv << kappa << ',' << method.name << ',' << method.h << ',' << k << ',' << problem.evaluations() << ','
            << problem.rel_error() << '\n';
      };
      row(0);
      for (int k = 1; k <= steps; ++k) {
        stepper->step(exec, problem, method.h);
        problem.value_and_grad(exec);
        row(k);
      }
      std::printf("kappa %5g  %-14s h = %3g  rel_error after %d steps (%d gradient evaluations): %.3e\n", kappa,
                  method.name.c_str(), method.h, steps, problem.evaluations() - 1, problem.rel_error());
    }
  }
  std::printf("wrote %s\n", out.c_str());
  return 0;
}
