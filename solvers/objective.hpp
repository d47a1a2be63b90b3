#pragma once
/// \brief The PINN objective: a weighted sum of mean-squared residuals over
/// point sets, and its exact gradient through the Taylor jets.
///
/// For a term with weight w over N points, L = w/N sum r_n^2; the adjoint of
/// the jet entry e is 2 w r_n dr_n/de / N (docs/methods.md section 1), pushed
/// through the model's reverse pass into the store's gradient.
///
/// Unknowns (problem.unknowns) are extra residual columns: the objective
/// fills their current values from their blocks (v = map(theta)), and the
/// residual's dual numbers give dr/dv, so dL/dtheta = sum_n 2 w r_n dr_n/dv
/// dv/dtheta / N is exact. Data terms (observations) keep their fixed points
/// through resample() and subtract the observed value per point.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <atomic>

#include "core/communicator.hpp"
#include "core/jet_spec.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"
#include "pde/problem.hpp"
#include "solvers/saved_state.hpp"
#include "solvers/training_spec.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::solvers {

class ResidualRefinement;

struct LossValues {
  double total = 0;
  std::map<std::string, double> terms;  ///< weighted term values, by loss.weights key
};

/// Points per pass through `model` under `spec` that keep a layer's jets in
/// cache (the Objective's chunks, and the Evaluator's on its grid): ~40k jet
/// entries per thread, >= 256 points per thread with several threads (every
/// kernel of a chunk ends in a barrier); on a GPU more than any point set.
int cache_chunk_points(const models::Model& model, const JetSpec& spec);

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
  /// The values the equations read now, by unknown name (host).
  std::map<std::string, double> unknown_values() const;

  /// Checkpoints: the point sets and how far each random stream has been
  /// drawn (resamples, refinement candidates), so that a resumed run trains
  /// on the same points and draws the same ones next. restore() works on an
  /// Objective built from the same config and seed.
  void save(SavedState& state) const;
  void restore(const SavedState& state);

  /// Data parallelism: every rank draws the same global point sets (same
  /// seed) and keeps its contiguous share of each term's points (periodic
  /// pair terms, small boundary sets, stay whole on every rank and count
  /// 1/size each); evaluations sum the loss terms and the gradient over the
  /// ranks with one comm.sum per call, so that every rank holds the global
  /// loss and gradient. `signal` (a stop flag set by a signal handler on any
  /// rank) travels in the same sum and sets `agreed` on every rank at the
  /// same evaluation, so that all ranks stop at the same step.
  void distribute(const Communicator& comm, const std::atomic<bool>* signal, std::atomic<bool>* agreed);

  /// Points per chunk: each term's points pass through forward, residual and
  /// backward a chunk at a time, so that a chunk's jets stay in cache between
  /// the layers (1.6-1.7x faster steps on the host than one pass over all
  /// points). 0 (the default): sized from the network's widest layer, the
  /// term's jet channels and the backend's concurrency. The loss and the
  /// gradient do not depend on it beyond rounding.
  void set_chunk_points(int points) { chunk_points_ = points; }
  int chunk_points(const JetSpec& spec) const;

  /// The four below launch kernels: public for CUDA (nvcc allows no device
  /// lambda in a private or protected member function). Not for callers.
  struct Term;
  /// Forward pass at `points` under t's jets, its reads gathered into
  /// values, and t's residual r with its partials dr.
  /// Data terms pass their targets (the rows' observed values), others an empty view.
  void residuals_at(const ExecSpace& exec, const Term& t, View2<const Real> points, View2<Real> values,
                    View1<Real> r, View2<Real> dr, View1<const Real> targets);
  /// Rows [r0, r1) of term t: forward, residual, squared sum into sum_sq,
  /// and (with_grad) backward, with each unknown's dL/dv into its entry of unknown_sums.
  void evaluate_rows(const ExecSpace& exec, Term& t, bool with_grad, int r0, int r1,
                     const Kokkos::View<double, MemSpace>& sum_sq, const View1<double>& unknown_sums);
  /// v and dv/dtheta of every unknown from the store, on the device.
  void update_unknowns(const ExecSpace& exec);
  /// grad(theta_k) += dv_k/dtheta_k * sum over chunks of dL/dv_k.
  void add_unknown_gradients(const ExecSpace& exec, int chunks);

 private:
  LossValues evaluate(const ExecSpace& exec, bool with_grad);
  /// Replaces t's points (n x dim, host, row-major), resizing its work arrays.
  void set_points(Term& t, const std::vector<double>& pts);
  std::vector<double> host_points(const Term& t) const;

  const pde::Problem& problem_;
  models::Model& model_;
  models::ParamStore& store_;
  std::vector<std::unique_ptr<Term>> terms_;
  std::unique_ptr<ResidualRefinement> refinement_;  ///< null when sampling.refine is off
  int chunk_points_ = 0;
  const Communicator* comm_ = nullptr;  ///< null: one process
  const std::atomic<bool>* signal_ = nullptr;
  std::atomic<bool>* agreed_stop_ = nullptr;
  std::vector<double> reduce_buffer_;
  /// Sums loss sums, gradient and the stop flag over the ranks.
  void reduce(const ExecSpace& exec, std::vector<double>& sums, bool with_grad);
  int resamples_ = 0;        ///< resample() calls, the constructor's included
  int candidate_draws_ = 0;  ///< refinement candidate sets drawn
  View1<double> term_sums_;  ///< sum of squared residuals per chunk, filled on the device
  View1<double>::HostMirror term_sums_host_;
  // Unknowns: their maps and store offsets, v and dv/dtheta now, and dL/dv per (chunk, unknown).
  Kokkos::View<pde::UnknownMap*, MemSpace> unknown_maps_;
  View1<int> unknown_offsets_;
  View1<Real> unknown_value_, unknown_slope_;
  View1<double> unknown_sums_;  ///< (chunk, unknown) row-major
};

}  // namespace pinnkit::solvers
