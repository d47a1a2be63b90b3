#include "solvers/scaled_gd.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// (gram + d I)^-1 through the eigen-decomposition: the Gram is symmetric
/// positive semi-definite in exact arithmetic, so negative eigenvalues are
/// rounding and are clamped to 0 before the damping is added (a Cholesky
/// could fail on them when d is small against the Gram's norm).
Matrix damped_inverse(const Matrix& gram, double damping) {
  const Eigen::SelfAdjointEigenSolver<Matrix> eig(gram);
  PINNKIT_CHECK(eig.info() == Eigen::Success, "ScaledGd: eigen-decomposition of a Gram matrix failed");
  Eigen::VectorXd inv = eig.eigenvalues();
  for (Eigen::Index k = 0; k < inv.size(); ++k) {
    const double shifted = std::max(inv(k), 0.0) + damping;
    PINNKIT_CHECK(shifted > 0.0, "ScaledGd: singular Gram matrix (a rank-deficient factor needs damping > 0)");
    inv(k) = 1.0 / shifted;
  }
  return eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose();
}

/// Per-step scratch, rewritten before every read.
auto scratch(const std::string& what) {
  return Kokkos::view_alloc(Kokkos::WithoutInitializing, "pinnkit::solvers::ScaledGd::" + what);
}

std::pair<std::size_t, std::size_t> range(std::size_t offset, std::size_t size) { return {offset, offset + size}; }

}  // namespace

ScaledGd::ScaledGd(const TrainableEntries& entries, const std::vector<FactorLayout>& factors,
                   const ScaledGdSettings& settings)
    : s_(settings), entries_(entries) {
  PINNKIT_CHECK(s_.damping >= 0.0, "ScaledGd: negative damping");
  for (const auto& f : factors) {
    Pair p;
    p.at = f;
    p.b_host = HostView1<Real>(scratch("b_host"), std::size_t(f.rows) * f.rank);
    p.a_host = HostView1<Real>(scratch("a_host"), std::size_t(f.rank) * f.cols);
    p.inverses = View1<Real>(scratch("inverses"), 2 * std::size_t(f.rank) * f.rank);
    p.inverses_host = HostView1<Real>(scratch("inverses_host"), p.inverses.extent(0));
    pairs_.push_back(p);
  }
  plain_ = entries_outside_pairs(entries, factors, "ScaledGd");
}

void ScaledGd::step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
                    double lr) {
  PINNKIT_CHECK(static_cast<int>(params.extent(0)) == entries_.full_size() &&
                    static_cast<int>(grads.extent(0)) == entries_.full_size(),
                "ScaledGd: parameter count changed");
  for (auto& pair : pairs_) precondition(exec, pair, params, grads, lr);
  const Real rate = lr;
  const auto plain = plain_;
  Kokkos::parallel_for(
      "pinnkit::solvers::ScaledGd::plain_step", Kokkos::RangePolicy<ExecSpace>(exec, 0, plain.extent(0)),
      KOKKOS_LAMBDA(int i) { params(plain(i)) -= rate * grads(plain(i)); });
}

// Only the factors (r (m + n) numbers) come to the host, and only the two
// r x r inverses go back: the products with the gradients run as a kernel
// where the gradients live, so a GPU build moves no m x n data per step and
// the host does O(r^2 (m + n) + r^3) work that is too small for a launch.
void ScaledGd::precondition(const ExecSpace& exec, Pair& pair, const View1<Real>& params,
                            const View1<const Real>& grads, double lr) {
  const FactorLayout f = pair.at;
  const std::size_t nb = std::size_t(f.rows) * f.rank, na = std::size_t(f.rank) * f.cols;
  Kokkos::deep_copy(exec, pair.b_host, Kokkos::subview(params, range(f.b_offset, nb)));
  Kokkos::deep_copy(exec, pair.a_host, Kokkos::subview(params, range(f.a_offset, na)));
  exec.fence();
  const Matrix b = Eigen::Map<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                       pair.b_host.data(), f.rows, f.rank)
                       .cast<double>();
  const Matrix a = Eigen::Map<const Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                       pair.a_host.data(), f.rank, f.cols)
                       .cast<double>();
  const Matrix q_inv = damped_inverse(a * a.transpose(), s_.damping);  // for B
  const Matrix p_inv = damped_inverse(b.transpose() * b, s_.damping);  // for A
  const int r = f.rank, c = f.cols;
  for (int k = 0; k < r; ++k)
    for (int l = 0; l < r; ++l) {
      pair.inverses_host(k * r + l) = static_cast<Real>(q_inv(k, l));
      pair.inverses_host(r * r + k * r + l) = static_cast<Real>(p_inv(k, l));
    }
  Kokkos::deep_copy(exec, pair.inverses, pair.inverses_host);

  // In place is safe: B's new entries read only dL/dB and Q^-1, A's only dL/dA and P^-1.
  const auto inv = pair.inverses;
  const std::size_t bo = f.b_offset, ao = f.a_offset;
  const Real rate = lr;
  Kokkos::parallel_for(
      "pinnkit::solvers::ScaledGd::precondition", Kokkos::RangePolicy<ExecSpace>(exec, 0, nb + na),
      KOKKOS_LAMBDA(std::size_t t) {
        Real sum = 0;
        if (t < nb) {  // (dB Q^-1)(i, k)
          const std::size_t i = t / r;
          const int k = static_cast<int>(t % r);
          for (int l = 0; l < r; ++l) sum += grads(bo + i * r + l) * inv(l * r + k);
          params(bo + t) -= rate * sum;
        } else {  // (P^-1 dA)(k, j)
          const std::size_t u = t - nb;
          const int k = static_cast<int>(u / c);
          const std::size_t j = u % c;
          for (int l = 0; l < r; ++l) sum += inv(r * r + k * r + l) * grads(ao + l * c + j);
          params(ao + u) -= rate * sum;
        }
      });
  // No fence: this pair's host buffers are next written after the fence that
  // follows the next copy of its factors.
}

}  // namespace pinnkit::solvers
