#include "solvers/svd_second_order.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

SvdComponents::SvdComponents(const models::ParamStore& store, std::vector<adapters::SvdTriplet> svd)
    : svd_(std::move(svd)) {
  for (const auto& t : svd_) {
    PINNKIT_CHECK(!t.mask.empty(), "SvdComponents: triplet " + t.s + " without a mask block");
    offset_.push_back(total_);
    total_ += static_cast<int>(store.block(t.s).size());
  }
  offset_.push_back(total_);
}

Eigen::VectorXd SvdComponents::gather(const models::ParamStore& store, bool grads,
                                      std::string adapters::SvdTriplet::*which) const {
  Eigen::VectorXd v(total_);
  const std::vector<double> all = grads ? store.grads_to_host() : std::vector<double>{};
  for (std::size_t l = 0; l < svd_.size(); ++l) {
    const auto& b = store.block(svd_[l].*which);
    const std::vector<double> part =
        grads ? std::vector<double>(all.begin() + static_cast<std::ptrdiff_t>(b.offset),
                                    all.begin() + static_cast<std::ptrdiff_t>(b.offset + b.size()))
              : store.block_to_host(b.name);
    for (std::size_t i = 0; i < part.size(); ++i) v(offset_[l] + static_cast<int>(i)) = part[i];
  }
  return v;
}

void SvdComponents::scatter(models::ParamStore& store, const Eigen::VectorXd& v,
                            std::string adapters::SvdTriplet::*which) const {
  PINNKIT_CHECK(v.size() == total_, "SvdComponents: " + std::to_string(v.size()) + " values for " +
                                        std::to_string(total_) + " components");
  for (std::size_t l = 0; l < svd_.size(); ++l) {
    std::vector<double> part(static_cast<std::size_t>(offset_[l + 1] - offset_[l]));
    for (std::size_t i = 0; i < part.size(); ++i) part[i] = v(offset_[l] + static_cast<int>(i));
    store.block_from_host(svd_[l].*which, part);
  }
}

Eigen::VectorXd SvdComponents::values(const models::ParamStore& store) const {
  return gather(store, false, &adapters::SvdTriplet::s);
}
Eigen::VectorXd SvdComponents::mask(const models::ParamStore& store) const {
  return gather(store, false, &adapters::SvdTriplet::mask);
}
Eigen::VectorXd SvdComponents::gradient(const models::ParamStore& store) const {
  return gather(store, true, &adapters::SvdTriplet::s);
}
void SvdComponents::set_values(models::ParamStore& store, const Eigen::VectorXd& s) const {
  scatter(store, s, &adapters::SvdTriplet::s);
}
void SvdComponents::set_mask(models::ParamStore& store, const Eigen::VectorXd& mask) const {
  scatter(store, mask, &adapters::SvdTriplet::mask);
}

std::vector<int> SvdComponents::ranks(const Eigen::VectorXd& mask) const {
  std::vector<int> r(svd_.size(), 0);
  for (std::size_t l = 0; l < svd_.size(); ++l)
    for (int i = offset_[l]; i < offset_[l + 1]; ++i) r[l] += mask(i) != 0 ? 1 : 0;
  return r;
}

const std::vector<std::string>& hessian_methods() {
  static const std::vector<std::string> names{"fd", "gauss_newton"};  // HessianMethod order
  return names;
}

namespace {

Eigen::VectorXd to_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

}  // namespace

SecondOrder second_order(const ExecSpace& exec, StepOracle& oracle, const SvdComponents& c, HessianMethod method,
                         const ResidualFunction& residuals) {
  PINNKIT_CHECK(method != HessianMethod::gauss_newton || residuals,
                "second_order: gauss_newton without a residual function");
  auto& store = oracle.store();
  const int n = c.size();
  const Eigen::VectorXd s0 = c.values(store), mask = c.mask(store);
  SecondOrder out;
  out.loss = oracle.value_and_grad(exec).total;
  out.g = c.gradient(store);
  out.h = Eigen::MatrixXd::Zero(n, n);
  // A difference of gradients loses eps |g| / h to rounding and gains h^2 |L'''|: h ~ eps^(1/3).
  const double h = std::cbrt(std::numeric_limits<Real>::epsilon()) * std::max(1.0, s0.cwiseAbs().maxCoeff());
  Eigen::VectorXd s = s0;
  // Gauss-Newton: J column by column (pruned columns are 0).
  Eigen::MatrixXd jac;
  for (int i = 0; i < n; ++i) {
    if (mask(i) == 0) continue;  // L does not depend on a pruned s_i
    s(i) = s0(i) + h;
    c.set_values(store, s);
    if (method == HessianMethod::fd) {
      oracle.value_and_grad(exec);
      const Eigen::VectorXd plus = c.gradient(store);
      s(i) = s0(i) - h;
      c.set_values(store, s);
      oracle.value_and_grad(exec);
      out.h.col(i) = (plus - c.gradient(store)) / (2 * h);
    } else {
      const Eigen::VectorXd plus = to_eigen(residuals(exec));
      s(i) = s0(i) - h;
      c.set_values(store, s);
      const Eigen::VectorXd minus = to_eigen(residuals(exec));
      if (jac.size() == 0) jac = Eigen::MatrixXd::Zero(plus.size(), n);
      jac.col(i) = (plus - minus) / (2 * h);
    }
    s(i) = s0(i);
  }
  c.set_values(store, s0);
  if (method == HessianMethod::gauss_newton && jac.size() > 0) out.h = 2 * jac.transpose() * jac;
  out.h = 0.5 * (out.h + out.h.transpose()).eval();
  // Pruned rows too: a masked s_i has no gradient (the fd columns of kept
  // components carry 0 there already).
  for (int i = 0; i < n; ++i)
    if (mask(i) == 0) {
      out.h.row(i).setZero();
      out.h.col(i).setZero();
    }
  return out;
}

}  // namespace pinnkit::solvers
