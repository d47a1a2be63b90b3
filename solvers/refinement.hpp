#pragma once
/// \brief Residual-based adaptive refinement (RAR; Lu, Meng, Mao, Karniadakis,
/// "DeepXDE", SIAM Review 63(1), 2021): every `every` first-order steps,
/// score `candidates` fresh interior points by the squared PDE residual and
/// add the `add` best to the interior training set for good, up to
/// `max_points` (sampling.refine, solvers/training_spec.hpp).
///
/// This class draws candidates and picks the winners; Objective::refine
/// scores them (it owns the model and the residuals) and keeps the points.
#include <cstdint>
#include <string>
#include <vector>

#include "pde/geometry.hpp"
#include "solvers/training_spec.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::solvers {

/// Indices of the `count` largest entries of `score`, largest first; ties go
/// to the lower index, so the choice is deterministic. count is clamped to
/// score.size(); NaN scores rank last.
std::vector<int> largest_indices(const std::vector<double>& score, int count);

/// The seed of the candidate stream of a run seeded `run_seed` (its own
/// stream: refinement does not shift the training points' sequences).
inline std::uint64_t refinement_seed(std::uint64_t run_seed) { return run_seed * 1000003u + 999999u; }

class ResidualRefinement {
 public:
  /// `method`: how candidates are drawn (a sampling method; "grid" would
  /// repeat one candidate set, so it draws uniformly instead). `seed` seeds it.
  ResidualRefinement(const RefineSpec& spec, const std::string& method, int dim, std::uint64_t seed);

  const RefineSpec& spec() const { return spec_; }
  /// Points the next refinement may add to a set of `current` points (>= 0).
  int quota(int current) const;
  /// spec().candidates fresh points inside `domain`, row-major (n x dim).
  std::vector<double> draw_candidates(const pde::Geometry& domain);
  /// The rows of `candidates` (n x dim) with the `count` largest scores, largest first.
  static std::vector<double> pick(const std::vector<double>& candidates, int dim, const std::vector<double>& score,
                                  int count);

 private:
  RefineSpec spec_;
  UnitSampler sampler_;
};

}  // namespace pinnkit::solvers
