#pragma once
/// \brief A PDE instance as the solver sees it: domain, inputs/outputs, the
/// residuals of its loss terms, an optional exact solution and optional
/// reference data (a solution known at fixed points: data file or generator).
///
/// A residual reads derivatives of the network outputs at a point (its
/// `reads`, e.g. u_xx and u_yy) and returns r(x) and dr/d(read). The objective
/// squares r; the partials seed the reverse pass, so no residual adjoint is
/// ever hand-derived by a problem.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/jet_spec.hpp"
#include "core/kokkos.hpp"
#include "pde/geometry.hpp"
#include "pde/problem_spec.hpp"
#include "pde/reference_data.hpp"
#include "pde/unknown_map.hpp"

namespace pinnkit::pde {

/// One derivative of one output: D^alpha u_output, or, when `laplacian` is
/// not empty, the sum of the pure second derivatives along those axes
/// (alpha unused). A residual that needs u_xx, u_yy, ... only through their
/// sum reads it as a Laplacian: the jets then carry one channel for it.
struct Read {
  Read() = default;
  Read(int output_, MultiIndex alpha_) : output(output_), alpha(std::move(alpha_)) {}
  /// Lap u_output over `axes` (of an input_dim-dimensional input).
  static Read laplacian_of(int output, int input_dim, std::vector<int> axes) {
    Read r(output, MultiIndex(input_dim, 0));
    r.laplacian = std::move(axes);
    return r;
  }
  int output = 0;
  MultiIndex alpha;
  std::vector<int> laplacian;
};

/// The jets that provide every read (Laplacian reads over one common axis
/// set collapse into one channel, see core/jet_spec.hpp).
JetSpec jet_spec_for(int input_dim, const std::vector<Read>& reads);
/// How `read` is formed from the channels of `spec` (jet_spec_for's).
DerivativeRecipe recipe_for(const JetSpec& spec, const Read& read);

class Residual {
 public:
  virtual ~Residual() = default;
  /// The derivatives the residual takes, in the column order of `values`.
  virtual const std::vector<Read>& reads() const = 0;
  /// The trainable coefficients it reads (indices into Problem::unknowns()),
  /// as further columns of `values` and `dr` after the reads: the caller
  /// fills their values, and dr gives dr/d(unknown) beside dr/d(read).
  virtual const std::vector<int>& unknowns() const;
  /// Columns of values and dr: reads, then unknowns.
  int columns() const { return static_cast<int>(reads().size() + unknowns().size()); }
  /// points: N x d; values: N x columns(). Writes r (N) and dr (N x columns()).
  virtual void evaluate(const ExecSpace& exec, View2<const Real> points, View2<const Real> values,
                        View1<Real> r, View2<Real> dr) const = 0;
};

/// Where a loss term's points live: drawn by the sampler, or `data`: the
/// fixed points of LossTerm::fixed (observations), never resampled.
enum class PointSet { interior, boundary, initial, data };

/// Fixed points with a target per point (observations of one output): the
/// term's residual is R(x_n) - target_n for the term's per-point residual R.
struct FixedPoints {
  std::vector<double> points;   ///< n x input_dim, row-major
  std::vector<double> targets;  ///< n
  int count() const { return static_cast<int>(targets.size()); }
};

/// A periodic pair term: its points a lie on the lower face of `axis`, each
/// paired with its image b on the upper face (same other coordinates), and
/// the penalised quantity is R(a) - R(b) for the term's per-point residual R
/// (the objective draws b and seeds a with +dR, b with -dR).
struct PeriodicPairing {
  int axis = 0;
  double lower = 0, upper = 0;  ///< the two faces' coordinates
};

struct LossTerm {
  LossTerm(std::string name_, PointSet where_, std::shared_ptr<const Residual> residual_,
           std::vector<int> parts_ = {}, std::optional<PeriodicPairing> periodic_ = std::nullopt,
           std::shared_ptr<const FixedPoints> fixed_ = nullptr)
      : name(std::move(name_)), where(where_), residual(std::move(residual_)), parts(std::move(parts_)),
        periodic(periodic_), fixed(std::move(fixed_)) {}

  std::string name;  ///< loss.weights key: pde, boundary, initial, data
  PointSet where = PointSet::interior;
  std::shared_ptr<const Residual> residual;
  /// Boundary terms only: the domain parts the term applies to (indices into
  /// Geometry::part_names()); empty = the whole boundary.
  std::vector<int> parts;
  /// Set for the terms of a periodic condition.
  std::optional<PeriodicPairing> periodic;
  /// Set for PointSet::data terms.
  std::shared_ptr<const FixedPoints> fixed;
};

/// A trainable PDE coefficient (problem.unknowns) and how its stored
/// parameter theta maps to the value the equations read.
struct Unknown {
  std::string name;
  UnknownMap map;
  double init = 0;
};

/// Observed values (problem.observations) as the problem uses them: after
/// the noise of ObservationSpec was added.
struct Observations {
  std::string file;
  std::vector<std::string> outputs;  ///< observed outputs, in the column order of values
  std::vector<double> points;        ///< n x input_dim
  std::vector<double> values;        ///< n x outputs.size(), noise included
  int count() const { return outputs.empty() ? 0 : static_cast<int>(values.size() / outputs.size()); }
};

class Problem {
 public:
  virtual ~Problem() = default;
  virtual const Geometry& domain() const = 0;
  virtual std::vector<std::string> output_names() const = 0;
  virtual const std::vector<LossTerm>& terms() const = 0;
  virtual bool has_exact() const { return false; }
  /// u (N x outputs) at points (N x d); only when has_exact().
  virtual void exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const;
  /// The reference solution at fixed points (host data), or nullptr. A
  /// problem may have both this and an exact solution.
  virtual const ReferenceData* reference_data() const { return nullptr; }
  bool has_reference_data() const { return reference_data() != nullptr; }
  /// Trainable coefficients its residuals read (Residual::unknowns indexes this).
  virtual const std::vector<Unknown>& unknowns() const;
  /// The observations its data terms fit, or nullptr.
  virtual const Observations* observations() const { return nullptr; }

  int input_dim() const { return domain().dim(); }
  int output_dim() const { return static_cast<int>(output_names().size()); }
};

/// The catalog problem (or custom problem) a spec names; `source` (the
/// config file) prefixes error messages. Throws InputError for a problem
/// that this build cannot construct.
std::unique_ptr<Problem> make_problem(const ProblemSpec& spec, const std::string& source = "config");

}  // namespace pinnkit::pde
