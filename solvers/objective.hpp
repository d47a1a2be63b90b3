#pragma once
/// \brief The PINN objective: a weighted sum of mean-squared residuals over
/// point sets, and its exact gradient through the Taylor jets.
///
/// For a term with weight w over N points, L = w/N sum r_n^2; the adjoint of
/// the jet entry e is 2 w r_n dr_n/de / N (docs/methods.md section 1), pushed
/// through the model's reverse pass into the store's gradient.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/jet_spec.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"
#include "pde/problem.hpp"
#include "solvers/training_spec.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::solvers {

class ResidualRefinement;

struct LossValues {
  double total = 0;
  std::map<std::string, double> terms;  ///< weighted term values, by loss.weights key
};

class Objective {
 public:
  /// `store` holds the model's parameters; value_and_grad writes its gradient.
  Objective(const pde::Problem& problem, models::Model& model, models::ParamStore& store,
            const SamplingSpec& sampling, const LossSpec& loss, std::uint64_t seed);
  ~Objective();

  /// Loss at the current parameters, with its gradient written to the
  /// store's gradient view (zeroed first).
  LossValues value_and_grad(const ExecSpace& exec);
  /// Loss only (no reverse pass).
  LossValues value(const ExecSpace& exec);
  /// Draws new training points for every term (same counts).
  void resample();

  /// Training points per term name (for logs and tests).
  std::map<std::string, int> point_counts() const;

  /// Residual-based refinement (sampling.refine): scores fresh candidates by
  /// interior_residual_squares and adds the best to the interior set.
  /// Returns the points added (n x dim, host; none when refinement is off
  /// or the set is full).
  std::vector<double> refine(const ExecSpace& exec);
  /// Sum over the interior terms of r^2 at `points` (n x dim, host,
  /// row-major), at the current parameters; one entry per point.
  std::vector<double> interior_residual_squares(const ExecSpace& exec, const std::vector<double>& points);
  /// Adds `points` (n x dim, host) to every interior term for good: they stay
  /// through resample(), which draws the configured count besides them.
  void add_interior_points(const std::vector<double>& points);
  /// rho at the current parameters: every term's residuals (a periodic
  /// pair's R(a) - R(b)) times sqrt(weight / count), concatenated, so that
  /// value().total = |rho|^2 (host; for Gauss-Newton, solvers/svd_second_order.hpp).
  std::vector<double> weighted_residuals(const ExecSpace& exec);
  /// Points of the largest interior term (0 without one).
  int interior_points() const;

  /// Points per chunk: each term's points pass through forward, residual and
  /// backward a chunk at a time, so that a chunk's jets stay in cache between
  /// the layers (1.6-1.7x faster steps on the host than one pass over all
  /// points). 0 (the default): sized from the network's widest layer, the
  /// term's jet channels and the backend's concurrency. The loss and the
  /// gradient do not depend on it beyond rounding.
  void set_chunk_points(int points) { chunk_points_ = points; }
  int chunk_points(const JetSpec& spec) const;

 private:
  struct Term;
  LossValues evaluate(const ExecSpace& exec, bool with_grad);
  /// Forward pass at `points` under t's jets, its reads gathered into
  /// values, and t's residual r with its partials dr.
  void residuals_at(const ExecSpace& exec, const Term& t, View2<const Real> points, View2<Real> values,
                    View1<Real> r, View2<Real> dr);
  /// Rows [r0, r1) of term t: forward, residual, squared sum into sum_sq, and (with_grad) backward.
  void evaluate_rows(const ExecSpace& exec, Term& t, bool with_grad, int r0, int r1,
                     const Kokkos::View<double, MemSpace>& sum_sq);

  const pde::Problem& problem_;
  models::Model& model_;
  models::ParamStore& store_;
  std::vector<std::unique_ptr<Term>> terms_;
  std::unique_ptr<ResidualRefinement> refinement_;  ///< null when sampling.refine is off
  int chunk_points_ = 0;
  View1<double> term_sums_;  ///< sum of squared residuals per chunk, filled on the device
  View1<double>::HostMirror term_sums_host_;
};

}  // namespace pinnkit::solvers
