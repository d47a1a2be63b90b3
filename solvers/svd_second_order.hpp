#pragma once
/// \brief The singular values of all SVD-form adapters pooled into one
/// vector (component i of R), and the second-order information SubLoRA's
/// rules read (methods.md 5): g = dL/ds and the R x R matrix H = d2L/ds2.
///
/// H by central differences of the exact gradient (hessian: fd): column i is
/// (g(s + h e_i) - g(s - h e_i)) / 2h, two gradient evaluations per kept
/// component (pruned rows and columns are 0: their s is held at 0 and masked
/// out, so L does not depend on it), then symmetrised; h = eps^(1/3)
/// max(1, |s|_inf), the step that balances the O(h^2) truncation against
/// rounding of a difference of gradients. Or Gauss-Newton (hessian:
/// gauss_newton): with the loss written as |rho|^2 (rho: every residual
/// times sqrt(weight / count), Objective::weighted_residuals), H ~ 2 J^T J
/// with J = drho/ds by central differences of rho (forward passes only);
/// symmetric and positive semi-definite, exact where rho is linear in s.
#include <Eigen/Dense>
#include <functional>
#include <string>
#include <vector>

#include "adapters/adapter.hpp"
#include "models/param_store.hpp"

namespace pinnkit::solvers {

class StepOracle;

/// The s entries of the SVD triplets of `svd`, pooled in order.
class SvdComponents {
 public:
  SvdComponents(const models::ParamStore& store, std::vector<adapters::SvdTriplet> svd);
  int size() const { return total_; }
  int layers() const { return static_cast<int>(svd_.size()); }
  const std::vector<adapters::SvdTriplet>& triplets() const { return svd_; }
  /// First pooled index of layer l's components; offset(layers()) = size().
  int offset(int l) const { return offset_[l]; }

  Eigen::VectorXd values(const models::ParamStore& store) const;    ///< s
  Eigen::VectorXd mask(const models::ParamStore& store) const;      ///< 1 kept, 0 pruned
  Eigen::VectorXd gradient(const models::ParamStore& store) const;  ///< dL/ds from store.grads()
  void set_values(models::ParamStore& store, const Eigen::VectorXd& s) const;
  void set_mask(models::ParamStore& store, const Eigen::VectorXd& mask) const;
  /// Kept components per layer.
  std::vector<int> ranks(const Eigen::VectorXd& mask) const;

 private:
  Eigen::VectorXd gather(const models::ParamStore& store, bool grads, std::string adapters::SvdTriplet::*which) const;
  void scatter(models::ParamStore& store, const Eigen::VectorXd& v, std::string adapters::SvdTriplet::*which) const;
  std::vector<adapters::SvdTriplet> svd_;
  std::vector<int> offset_;
  int total_ = 0;
};

enum class HessianMethod { fd, gauss_newton };
/// Names accepted for adapter.hessian (HessianMethod order).
const std::vector<std::string>& hessian_methods();

/// The residual vector rho with loss = |rho|^2 at the current parameters.
using ResidualFunction = std::function<std::vector<double>(const ExecSpace&)>;

struct SecondOrder {
  Eigen::VectorXd g;  ///< dL/ds at the current parameters
  Eigen::MatrixXd h;  ///< d2L/ds2 (symmetric)
  double loss = 0;    ///< L at the current parameters
};

/// g and H at the current parameters (left as they were; store.grads() is
/// overwritten). gauss_newton needs `residuals`.
SecondOrder second_order(const ExecSpace& exec, StepOracle& oracle, const SvdComponents& components,
                         HessianMethod method, const ResidualFunction& residuals = {});

}  // namespace pinnkit::solvers
