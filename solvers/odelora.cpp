#include "solvers/odelora.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RealMatrix = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

auto scratch(const std::string& what) {
  return Kokkos::view_alloc(Kokkos::WithoutInitializing, "pinnkit::solvers::OdeLora::" + what);
}

std::pair<std::size_t, std::size_t> range(std::size_t offset, std::size_t size) { return {offset, offset + size}; }

/// Eigen-decomposition of a symmetric matrix whose eigenvalues must be > 0
/// (a Gram plus damping); `what` names it in the error.
Eigen::SelfAdjointEigenSolver<Matrix> spd_eigen(const Matrix& m, const char* what) {
  Eigen::SelfAdjointEigenSolver<Matrix> eig(m);
  PINNKIT_CHECK(eig.info() == Eigen::Success, std::string("OdeLora: eigen-decomposition of ") + what + " failed");
  const double top = std::max(eig.eigenvalues().maxCoeff(), 0.0);
  PINNKIT_CHECK(eig.eigenvalues().minCoeff() > 1e-300 && eig.eigenvalues().minCoeff() > 1e-15 * top,
                std::string("OdeLora: ") + what +
                    " is singular (a rank-deficient factor: use a balanced_random or spectral init, or damping > 0)");
  return eig;
}

/// f(M) for a symmetric positive definite M through its eigen-decomposition.
template <class F>
Matrix spd_function(const Eigen::SelfAdjointEigenSolver<Matrix>& eig, F f) {
  Eigen::VectorXd v = eig.eigenvalues();
  for (Eigen::Index k = 0; k < v.size(); ++k) v(k) = f(v(k));
  return eig.eigenvectors() * v.asDiagonal() * eig.eigenvectors().transpose();
}

/// C(k, l) = sum_i B(i, k) gB(i, l): one thread per entry of the r x r result.
void cross_product(const ExecSpace& exec, const View1<const Real>& params, const View1<const Real>& grads,
                   std::size_t bo, int m, int r, const View1<double>& cross) {
  Kokkos::parallel_for(
      "pinnkit::solvers::OdeLora::cross", Kokkos::RangePolicy<ExecSpace>(exec, 0, r * r), KOKKOS_LAMBDA(int t) {
        const int k = t / r, l = t % r;
        double sum = 0;
        for (int i = 0; i < m; ++i)
          sum += static_cast<double>(params(bo + std::size_t(i) * r + k)) * grads(bo + std::size_t(i) * r + l);
        cross(t) = sum;
      });
}

/// out_B = -(gB - B Z) Q^-1, out_A = -P^-1 (gA - Z A) with small = [Q^-1, P^-1, Z].
void pair_kernel(const ExecSpace& exec, const View1<const Real>& params, const View1<const Real>& grads,
                 const View1<Real>& out, const View1<Real>& small, const FactorLayout f) {
  const std::size_t nb = std::size_t(f.rows) * f.rank, na = std::size_t(f.rank) * f.cols;
  const std::size_t bo = f.b_offset, ao = f.a_offset;
  const int r = f.rank, c = f.cols;
  Kokkos::parallel_for(
      "pinnkit::solvers::OdeLora::field", Kokkos::RangePolicy<ExecSpace>(exec, 0, nb + na),
      KOKKOS_LAMBDA(std::size_t t) {
        const Real* q_inv = &small(0);
        const Real* p_inv = &small(r * r);
        const Real* z = &small(2 * r * r);
        Real sum = 0;
        if (t < nb) {  // B row i, column k
          const std::size_t i = t / r;
          const int k = static_cast<int>(t % r);
          for (int l = 0; l < r; ++l) {
            Real resid = grads(bo + i * r + l);
            for (int j = 0; j < r; ++j) resid -= params(bo + i * r + j) * z[j * r + l];
            sum += resid * q_inv[l * r + k];
          }
          out(bo + t) = -sum;
        } else {  // A row k, column j
          const std::size_t u = t - nb;
          const int k = static_cast<int>(u / c);
          const std::size_t j = u % c;
          for (int l = 0; l < r; ++l) {
            Real resid = grads(ao + l * c + j);
            for (int q = 0; q < r; ++q) resid -= z[l * r + q] * params(ao + q * c + j);
            sum += p_inv[k * r + l] * resid;
          }
          out(ao + u) = -sum;
        }
      });
}

/// B <- B R, A <- R^-1 A with small = [R, R^-1]; B's and A's new rows only
/// read their own old row/column, so one thread per row of B and column of A.
void rebalance_kernel(const ExecSpace& exec, const View1<Real>& params, const View1<Real>& small,
                      const FactorLayout f) {
  const std::size_t bo = f.b_offset, ao = f.a_offset;
  const int r = f.rank, c = f.cols, m = f.rows;
  constexpr int max_rank = 64;
  Kokkos::parallel_for(
      "pinnkit::solvers::OdeLora::rebalance", Kokkos::RangePolicy<ExecSpace>(exec, 0, m + c), KOKKOS_LAMBDA(int t) {
        Real old[max_rank];
        if (t < m) {
          for (int j = 0; j < r; ++j) old[j] = params(bo + std::size_t(t) * r + j);
          for (int k = 0; k < r; ++k) {
            Real sum = 0;
            for (int j = 0; j < r; ++j) sum += old[j] * small(j * r + k);
            params(bo + std::size_t(t) * r + k) = sum;
          }
        } else {
          const int j = t - m;
          for (int q = 0; q < r; ++q) old[q] = params(ao + std::size_t(q) * c + j);
          for (int k = 0; k < r; ++k) {
            Real sum = 0;
            for (int q = 0; q < r; ++q) sum += small(r * r + k * r + q) * old[q];
            params(ao + std::size_t(k) * c + j) = sum;
          }
        }
      });
}

}  // namespace

const std::vector<std::string>& odelora_integrators() {
  static const std::vector<std::string> names{"euler", "heun", "rk4"};
  return names;
}

OdeLoraIntegrator odelora_integrator(const std::string& name) {
  const auto& names = odelora_integrators();
  const auto it = std::find(names.begin(), names.end(), name);
  PINNKIT_CHECK(it != names.end(), "OdeLora: unknown integrator '" + name + "'");
  return static_cast<OdeLoraIntegrator>(it - names.begin());
}

int odelora_stages(OdeLoraIntegrator integrator) {
  switch (integrator) {
    case OdeLoraIntegrator::euler: return 1;
    case OdeLoraIntegrator::heun: return 2;
    case OdeLoraIntegrator::rk4: return 4;
  }
  return 1;
}

OdeLora::OdeLora(const TrainableEntries& entries, const std::vector<FactorLayout>& factors,
                 const OdeLoraSettings& settings)
    : s_(settings), entries_(entries) {
  PINNKIT_CHECK(s_.damping >= 0.0, "OdeLora: negative damping");
  for (const auto& f : factors) {
    PINNKIT_CHECK(f.rank <= 64, "OdeLora: rank above 64");
    Pair p;
    p.at = f;
    p.b_host = HostView1<Real>(scratch("b_host"), std::size_t(f.rows) * f.rank);
    p.a_host = HostView1<Real>(scratch("a_host"), std::size_t(f.rank) * f.cols);
    p.small = View1<Real>(scratch("small"), 3 * std::size_t(f.rank) * f.rank);
    p.small_host = HostView1<Real>(scratch("small_host"), p.small.extent(0));
    p.cross = View1<double>(scratch("cross"), std::size_t(f.rank) * f.rank);
    p.cross_host = HostView1<double>(scratch("cross_host"), p.cross.extent(0));
    pairs_.push_back(p);
  }
  plain_ = entries_outside_pairs(entries, factors, "OdeLora");
  const std::size_t n = entries.full_size();
  x0_ = View1<Real>(scratch("x0"), n);
  acc_ = View1<Real>(scratch("acc"), n);
  k_ = View1<Real>(scratch("k"), n);
}

void OdeLora::fetch_factors(const ExecSpace& exec, Pair& pair, const View1<const Real>& params) {
  const FactorLayout f = pair.at;
  const std::size_t nb = std::size_t(f.rows) * f.rank, na = std::size_t(f.rank) * f.cols;
  Kokkos::deep_copy(exec, pair.b_host, Kokkos::subview(params, range(f.b_offset, nb)));
  Kokkos::deep_copy(exec, pair.a_host, Kokkos::subview(params, range(f.a_offset, na)));
}

void OdeLora::field(const ExecSpace& exec, const View1<const Real>& params, const View1<const Real>& grads,
                    const View1<Real>& out) {
  PINNKIT_CHECK(static_cast<int>(params.extent(0)) == entries_.full_size() &&
                    static_cast<int>(grads.extent(0)) == entries_.full_size() &&
                    static_cast<int>(out.extent(0)) == entries_.full_size(),
                "OdeLora: parameter count changed");
  Kokkos::deep_copy(exec, out, Real(0));
  const auto plain = plain_;
  Kokkos::parallel_for(
      "pinnkit::solvers::OdeLora::plain_field", Kokkos::RangePolicy<ExecSpace>(exec, 0, plain.extent(0)),
      KOKKOS_LAMBDA(int i) { out(plain(i)) = -grads(plain(i)); });
  for (auto& pair : pairs_) pair_field(exec, pair, params, grads, out);
}

void OdeLora::pair_field(const ExecSpace& exec, Pair& pair, const View1<const Real>& params,
                         const View1<const Real>& grads, const View1<Real>& out) {
  const FactorLayout f = pair.at;
  const int r = f.rank;
  fetch_factors(exec, pair, params);
  cross_product(exec, params, grads, f.b_offset, f.rows, r, pair.cross);
  Kokkos::deep_copy(exec, pair.cross_host, pair.cross);
  exec.fence();
  const Matrix b = Eigen::Map<const RealMatrix>(pair.b_host.data(), f.rows, r).cast<double>();
  const Matrix a = Eigen::Map<const RealMatrix>(pair.a_host.data(), r, f.cols).cast<double>();
  const Matrix eye = Matrix::Identity(r, r);
  Matrix q_inv = eye, p_inv = eye, z = Matrix::Zero(r, r);
  const bool finite = b.allFinite() && a.allFinite() && Eigen::Map<const Matrix>(pair.cross_host.data(), r, r).allFinite();
  if (!finite) {
    // A diverging run (a Runge-Kutta stage evaluates the field at a trial
    // point that overflowed): the field is NaN, so the next loss is not
    // finite and the trainer stops the run as diverged with the last good
    // parameters, instead of the decomposition failing as an internal error.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    q_inv.setConstant(nan);
    p_inv.setConstant(nan);
    z.setConstant(nan);
  } else if (!s_.drop_preconditioners) {
    const auto p_eig = spd_eigen(b.transpose() * b + s_.damping * eye, "B^T B + d I");
    const auto q_eig = spd_eigen(a * a.transpose() + s_.damping * eye, "A A^T + d I");
    p_inv = spd_function(p_eig, [](double v) { return 1.0 / v; });
    q_inv = spd_function(q_eig, [](double v) { return 1.0 / v; });
    if (!s_.drop_z) {
      // P = U L U^T, Q = V M V^T: Z = U [(U^T C V)_kl / (L_k + M_l)] V^T.
      const Matrix c = Eigen::Map<const Matrix>(pair.cross_host.data(), r, r);
      const auto &u = p_eig.eigenvectors(), &v = q_eig.eigenvectors();
      Matrix rotated = u.transpose() * c * v;
      for (int k = 0; k < r; ++k)
        for (int l = 0; l < r; ++l) rotated(k, l) /= p_eig.eigenvalues()(k) + q_eig.eigenvalues()(l);
      z = u * rotated * v.transpose();
    }
  } else {
    PINNKIT_CHECK(s_.drop_z, "OdeLora: dropping the preconditioners needs dropping Z");
  }
  for (int k = 0; k < r; ++k)
    for (int l = 0; l < r; ++l) {
      pair.small_host(k * r + l) = static_cast<Real>(q_inv(k, l));
      pair.small_host(r * r + k * r + l) = static_cast<Real>(p_inv(k, l));
      pair.small_host(2 * r * r + k * r + l) = static_cast<Real>(z(k, l));
    }
  Kokkos::deep_copy(exec, pair.small, pair.small_host);
  pair_kernel(exec, params, grads, out, pair.small, f);
  // The host buffers are next written after a fence (the next fetch_factors is followed by one).
  exec.fence();
}

void OdeLora::rebalance(const ExecSpace& exec, const View1<Real>& params) {
  for (auto& pair : pairs_) {
    const FactorLayout f = pair.at;
    const int r = f.rank;
    fetch_factors(exec, pair, params);
    exec.fence();
    const Matrix b = Eigen::Map<const RealMatrix>(pair.b_host.data(), f.rows, r).cast<double>();
    const Matrix a = Eigen::Map<const RealMatrix>(pair.a_host.data(), r, f.cols).cast<double>();
    if (!b.allFinite() || !a.allFinite()) continue;  // diverged: the trainer's next loss says so
    // S = P^-1 # Q = P^-1/2 (P^1/2 Q P^1/2)^1/2 P^-1/2 solves S P S = Q; R = S^1/2.
    const auto p_eig = spd_eigen(b.transpose() * b, "B^T B (rebalance)");
    const Matrix p_half = spd_function(p_eig, [](double v) { return std::sqrt(v); });
    const Matrix p_mhalf = spd_function(p_eig, [](double v) { return 1.0 / std::sqrt(v); });
    const Matrix inner = p_half * (a * a.transpose()) * p_half;
    const auto m_eig = spd_eigen(0.5 * (inner + inner.transpose()), "P^1/2 A A^T P^1/2 (rebalance)");
    const Matrix s = p_mhalf * spd_function(m_eig, [](double v) { return std::sqrt(v); }) * p_mhalf;
    const auto s_eig = spd_eigen(0.5 * (s + s.transpose()), "the rebalancing metric");
    const Matrix rot = spd_function(s_eig, [](double v) { return std::sqrt(v); });
    const Matrix rot_inv = spd_function(s_eig, [](double v) { return 1.0 / std::sqrt(v); });
    for (int k = 0; k < r; ++k)
      for (int l = 0; l < r; ++l) {
        pair.small_host(k * r + l) = static_cast<Real>(rot(k, l));
        pair.small_host(r * r + k * r + l) = static_cast<Real>(rot_inv(k, l));
      }
    Kokkos::deep_copy(exec, pair.small, pair.small_host);
    rebalance_kernel(exec, params, pair.small, f);
    exec.fence();
  }
}

StepReport OdeLora::step(const ExecSpace& exec, StepOracle& oracle, double lr) {
  auto& store = oracle.store();
  const auto params = store.params();
  const View1<const Real> grads = store.grads();
  PINNKIT_CHECK(static_cast<int>(params.extent(0)) == entries_.full_size(), "OdeLora: parameter count changed");
  // Butcher tableaux with one nonzero entry a(i, i-1) per row: stage i is
  // evaluated at x0 + h a_i k_{i-1}, and x1 = x0 + h sum_i b_i k_i.
  static const double euler_a[] = {0.0}, euler_b[] = {1.0};
  static const double heun_a[] = {0.0, 1.0}, heun_b[] = {0.5, 0.5};
  static const double rk4_a[] = {0.0, 0.5, 0.5, 1.0}, rk4_b[] = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  const double *ta = euler_a, *tb = euler_b;
  if (s_.integrator == OdeLoraIntegrator::heun) ta = heun_a, tb = heun_b;
  if (s_.integrator == OdeLoraIntegrator::rk4) ta = rk4_a, tb = rk4_b;
  const int stages = odelora_stages(s_.integrator);

  const auto x0 = x0_, acc = acc_, k = k_;
  Kokkos::deep_copy(exec, x0, params);
  Kokkos::deep_copy(exec, acc, Real(0));
  const std::size_t n = params.extent(0);
  for (int i = 0; i < stages; ++i) {
    if (i > 0) {
      const Real ha = static_cast<Real>(lr * ta[i]);
      Kokkos::parallel_for(
          "pinnkit::solvers::OdeLora::stage_state", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
          KOKKOS_LAMBDA(std::size_t j) { params(j) = x0(j) + ha * k(j); });
      exec.fence();
      oracle.value_and_grad(exec);
    }
    field(exec, params, grads, k);
    const Real w = static_cast<Real>(tb[i]);
    Kokkos::parallel_for(
        "pinnkit::solvers::OdeLora::accumulate", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
        KOKKOS_LAMBDA(std::size_t j) { acc(j) += w * k(j); });
  }
  const Real h = static_cast<Real>(lr);
  Kokkos::parallel_for(
      "pinnkit::solvers::OdeLora::update", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(std::size_t j) { params(j) = x0(j) + h * acc(j); });
  if (s_.rebalance) rebalance(exec, params);
  exec.fence();
  return {};
}

}  // namespace pinnkit::solvers
