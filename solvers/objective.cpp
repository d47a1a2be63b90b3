#include "solvers/objective.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/runtime.hpp"
#include "pde/space_time.hpp"
#include "solvers/refinement.hpp"

namespace pinnkit::solvers {

struct Objective::Term {
  explicit Term(const pde::LossTerm& term) : loss(term) {}
  pde::LossTerm loss;
  double weight = 1;
  int count = 0;
  std::unique_ptr<UnitSampler> sampler;
  bool grid = false;  ///< the sampler repeats one point set
  std::vector<double> refined;  ///< interior points added by refine(), kept by resample()
  /// Periodic pair terms: rows [0, pairs) are points a, rows [pairs, 2 pairs)
  /// their images b, and the residual is R(a) - R(b). Null otherwise.
  std::optional<pde::PeriodicPairing> pair;
  int pairs = 0;
  JetSpec spec{1};
  View2<Real> points;
  Kokkos::View<DerivativeRecipe*, MemSpace> recipes;  ///< one per residual read
  View1<int> outputs;                                  ///< output of each read
  View2<Real> values, dr;
  View1<Real> r;
  View3<Real> out_adj;
};

namespace {

int requested_count(const SamplingSpec& s, pde::PointSet where) {
  switch (where) {
    case pde::PointSet::interior: return s.interior;
    case pde::PointSet::boundary: return s.boundary;
    case pde::PointSet::initial: return s.initial;
  }
  return 0;
}

/// n points on the boundary parts `parts` (all parts when empty), drawn in
/// proportion to measure: whole-boundary draws filtered by part, repeated
/// until enough are kept (a grid source is used once).
std::vector<double> boundary_points(const pde::Geometry& domain, const std::vector<int>& parts,
                                    int n, const pde::UnitSource& source) {
  if (parts.empty()) return domain.sample_boundary(n, source).points;
  const int d = domain.dim();
  std::vector<double> kept;
  for (int round = 0; round < 1000 && static_cast<int>(kept.size()) < n * d; ++round) {
    const auto b = domain.sample_boundary(n, source);
    for (std::size_t i = 0; i < b.part.size() && static_cast<int>(kept.size()) < n * d; ++i)
      if (std::find(parts.begin(), parts.end(), b.part[i]) != parts.end())
        kept.insert(kept.end(), b.points.begin() + i * d, b.points.begin() + (i + 1) * d);
    if (source.fixed) break;
  }
  PINNKIT_CHECK(!kept.empty(), "no boundary points fell on the requested parts");
  return kept;
}

/// points a (n x dim) -> rows a then their images b on the upper face.
std::vector<double> with_periodic_images(const pde::PeriodicPairing& pair, const std::vector<double>& a,
                                         int dim, int& pairs) {
  pairs = static_cast<int>(a.size()) / dim;
  std::vector<double> both(a);
  both.insert(both.end(), a.begin(), a.end());
  for (int i = 0; i < pairs; ++i) {
    both[i * dim + pair.axis] = pair.lower;
    both[(pairs + i) * dim + pair.axis] = pair.upper;
  }
  return both;
}

}  // namespace

Objective::Objective(const pde::Problem& problem, models::Model& model, models::ParamStore& store,
                     const SamplingSpec& sampling, const LossSpec& loss, std::uint64_t seed)
    : problem_(problem), model_(model), store_(store) {
  const int dim = problem.input_dim();
  std::uint64_t stream = 0;
  for (const auto& lt : problem.terms()) {
    auto t = std::make_unique<Term>(lt);
    const auto w = loss.weights.find(lt.name);
    t->weight = w == loss.weights.end() ? 1.0 : w->second;
    t->count = requested_count(sampling, lt.where);
    ++stream;
    if (t->count == 0 || t->weight == 0) continue;
    t->sampler = std::make_unique<UnitSampler>(sampling.method, dim, seed * 1000003u + stream);
    t->grid = !sampler_registry().get(sampling.method).capabilities.exact_count;
    t->pair = lt.periodic;
    const auto& reads = lt.residual->reads();
    t->spec = pde::jet_spec_for(dim, reads);
    const int nr = static_cast<int>(reads.size());
    t->recipes = Kokkos::View<DerivativeRecipe*, MemSpace>("pinnkit::solvers::Objective::recipes", nr);
    t->outputs = View1<int>("pinnkit::solvers::Objective::outputs", nr);
    auto hr = Kokkos::create_mirror_view(t->recipes);
    auto ho = Kokkos::create_mirror_view(t->outputs);
    for (int j = 0; j < nr; ++j) {
      hr(j) = pde::recipe_for(t->spec, reads[j]);
      ho(j) = reads[j].output;
    }
    Kokkos::deep_copy(t->recipes, hr);
    Kokkos::deep_copy(t->outputs, ho);
    terms_.push_back(std::move(t));
  }
  if (sampling.refine.every > 0)
    refinement_ = std::make_unique<ResidualRefinement>(sampling.refine, sampling.method, dim, refinement_seed(seed));
  resample();
}

Objective::~Objective() = default;

void Objective::resample() {
  const auto& domain = problem_.domain();
  const int dim = domain.dim();
  for (auto& t : terms_) {
    const pde::UnitSource source{[&t](int m) { return t->sampler->next(m); }, t->grid};
    std::vector<double> pts;
    if (t->loss.where == pde::PointSet::interior) {
      pts = domain.sample_interior(t->count, source);
      pts.insert(pts.end(), t->refined.begin(), t->refined.end());
    } else if (t->loss.where == pde::PointSet::boundary) {
      pts = boundary_points(domain, t->loss.parts, t->count, source);
      if (t->pair) pts = with_periodic_images(*t->pair, pts, dim, t->pairs);
    } else {
      // Initial conditions live on the spatial domain at t0: only a
      // space-time domain has one, and a problem that declares an initial
      // term without it is a bug of that problem.
      const auto* space_time = dynamic_cast<const pde::SpaceTime*>(&domain);
      PINNKIT_CHECK(space_time, "an initial-value term needs a space-time domain");
      pts = space_time->sample_initial(t->count, source);
    }
    const int n = static_cast<int>(pts.size() / dim);
    if (!t->points.data() || static_cast<int>(t->points.extent(0)) != n) {
      t->points = View2<Real>("pinnkit::solvers::Objective::points", n, dim);
      const int nr = static_cast<int>(t->recipes.extent(0));
      t->values = View2<Real>("pinnkit::solvers::Objective::values", n, nr);
      t->dr = View2<Real>("pinnkit::solvers::Objective::dr", n, nr);
      t->r = View1<Real>("pinnkit::solvers::Objective::r", n);
      t->out_adj = View3<Real>("pinnkit::solvers::Objective::out_adj", n, t->spec.channels(),
                               problem_.output_dim());
    }
    auto h = Kokkos::create_mirror_view(t->points);
    for (int i = 0; i < n; ++i)
      for (int a = 0; a < dim; ++a) h(i, a) = static_cast<Real>(pts[i * dim + a]);
    Kokkos::deep_copy(t->points, h);
  }
}

std::map<std::string, int> Objective::point_counts() const {
  std::map<std::string, int> counts;
  for (const auto& t : terms_) counts[t->loss.name] += static_cast<int>(t->points.extent(0));
  return counts;
}

LossValues Objective::value_and_grad(const ExecSpace& exec) { return evaluate(exec, true); }
LossValues Objective::value(const ExecSpace& exec) { return evaluate(exec, false); }

LossValues Objective::evaluate(const ExecSpace& exec, bool with_grad) {
  if (with_grad) store_.zero_grads();
  // Each term's points go through the network in chunks (see chunk_points);
  // every chunk reduces its squared residuals into its own entry of a device
  // view, read back once after all terms: no host round trip (fence) per chunk.
  struct Chunk {
    int term, r0, r1;
  };
  std::vector<Chunk> chunks;
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    const auto& t = *terms_[k];
    const int total = static_cast<int>(t.points.extent(0));
    // A periodic pair term keeps its pairs (rows i and i + pairs) together.
    const int chunk = t.pair ? std::max(total, 1) : chunk_points(t.spec);
    for (int r0 = 0; r0 < total; r0 += chunk) chunks.push_back({static_cast<int>(k), r0, std::min(total, r0 + chunk)});
  }
  if (term_sums_.extent(0) < chunks.size()) {
    term_sums_ = View1<double>("pinnkit::solvers::Objective::chunk_sums", chunks.size());
    term_sums_host_ = Kokkos::create_mirror_view(term_sums_);
  }
  for (std::size_t c = 0; c < chunks.size(); ++c)
    evaluate_rows(exec, *terms_[chunks[c].term], with_grad, chunks[c].r0, chunks[c].r1,
                  Kokkos::subview(term_sums_, c));
  Kokkos::deep_copy(exec, term_sums_host_, term_sums_);
  exec.fence();
  LossValues loss;
  std::vector<double> sums(terms_.size(), 0.0);
  for (std::size_t c = 0; c < chunks.size(); ++c) sums[chunks[c].term] += term_sums_host_(c);
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    const auto& t = *terms_[k];
    const int squares = t.pair ? t.pairs : static_cast<int>(t.points.extent(0));
    const double term = t.weight * sums[k] / squares;
    loss.terms[t.loss.name] += term;
    loss.total += term;
  }
  return loss;
}

int Objective::chunk_points(const JetSpec& spec) const {
  if (chunk_points_ > 0) return chunk_points_;
  // A chunk of ~40k jet entries per thread keeps a layer's jets and adjoints
  // in cache; every kernel of a chunk ends in a barrier, though, so with
  // several threads a chunk keeps >= 256 points per thread, where barriers
  // stopped mattering on the 2-core development VM even under load
  // (bench_step chunk/ sweep, docs/performance.md). On a GPU the concurrency
  // makes a chunk larger than any point set: one pass, as before.
  const int threads = backend_threads();
  const double per_point = static_cast<double>(spec.channels()) * model_.widest_layer();
  double points = 40960.0 * threads / per_point;
  if (threads > 1) points = std::max(points, 256.0 * threads);
  return static_cast<int>(std::clamp(points, 32.0, 1e9));
}

void Objective::residuals_at(const ExecSpace& exec, const Term& t, View2<const Real> points,
                             View2<Real> values, View1<Real> r, View2<Real> dr) {
  const int n = static_cast<int>(points.extent(0));
  const auto out = model_.forward(exec, t.spec, points);
  auto recipes = t.recipes;
  auto outputs = t.outputs;
  const int nr = static_cast<int>(recipes.extent(0));
  Kokkos::parallel_for(
      "pinnkit::solvers::Objective::gather", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int i) {
        for (int j = 0; j < nr; ++j) {
          const int o = outputs(j);
          values(i, j) = recipes(j).combine([&](int c) { return out(i, c, o); });
        }
      });
  t.loss.residual->evaluate(exec, points, values, r, dr);
}

void Objective::evaluate_rows(const ExecSpace& exec, Term& t, bool with_grad, int r0, int r1,
                              const Kokkos::View<double, MemSpace>& sum_sq) {
  const auto rows = Kokkos::make_pair(r0, r1);
  const int n = r1 - r0;
  const auto points = Kokkos::subview(t.points, rows, Kokkos::ALL);
  const auto values = Kokkos::subview(t.values, rows, Kokkos::ALL);
  const auto r = Kokkos::subview(t.r, rows);
  const auto dr = Kokkos::subview(t.dr, rows, Kokkos::ALL);
  const auto adj = Kokkos::subview(t.out_adj, rows, Kokkos::ALL, Kokkos::ALL);
  residuals_at(exec, t, points, values, r, dr);
  auto recipes = t.recipes;
  auto outputs = t.outputs;
  const int nr = static_cast<int>(recipes.extent(0));
  // A pair term's residual of row i: R(a) - R(b) for both rows of the
  // pair, with the sign of the row's own R in it (dr_pair/dR(row)). Pair
  // terms are never split into chunks.
  const int pairs = t.pair ? t.pairs : 0;
  auto paired = KOKKOS_LAMBDA(int i, Real& sign) {
    sign = i < pairs || pairs == 0 ? Real(1) : Real(-1);
    if (pairs == 0) return r(i);
    return i < pairs ? r(i) - r(i + pairs) : r(i - pairs) - r(i);
  };
  const int squares = pairs > 0 ? pairs : n;
  if (!with_grad) {
    Kokkos::parallel_reduce(
        "pinnkit::solvers::Objective::sum_squares", Kokkos::RangePolicy<ExecSpace>(exec, 0, squares),
        KOKKOS_LAMBDA(int i, double& s) {
          Real sign;
          const Real e = paired(i, sign);
          s += static_cast<double>(e) * e;
        },
        sum_sq);
    return;
  }
  // One pass per point: its squared residual, and its whole output adjoint
  // (written, not accumulated: no separate zeroing pass).
  const int channels = static_cast<int>(adj.extent(1)), outs = static_cast<int>(adj.extent(2));
  const int term_squares = pairs > 0 ? pairs : static_cast<int>(t.points.extent(0));
  const Real scale = static_cast<Real>(2 * t.weight / term_squares);
  Kokkos::parallel_reduce(
      "pinnkit::solvers::Objective::seed_adjoint", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int i, double& s) {
        Real sign;
        const Real e = paired(i, sign);
        if (i < squares) s += static_cast<double>(e) * e;
        for (int c = 0; c < channels; ++c)
          for (int o = 0; o < outs; ++o) adj(i, c, o) = Real(0);
        for (int j = 0; j < nr; ++j) {
          const Real g = scale * sign * e * dr(i, j);
          const DerivativeRecipe& rec = recipes(j);
          for (int m = 0; m < rec.terms; ++m) adj(i, rec.channel[m], outputs(j)) += rec.weight[m] * g;
        }
      },
      sum_sq);
  model_.backward(exec, t.spec, adj);
}

std::vector<double> Objective::weighted_residuals(const ExecSpace& exec) {
  std::vector<double> rho;
  for (auto& tp : terms_) {
    Term& t = *tp;
    const int n = static_cast<int>(t.points.extent(0));
    if (n == 0) continue;
    residuals_at(exec, t, t.points, t.values, t.r, t.dr);
    const auto r = Kokkos::create_mirror_view_and_copy(HostSpace(), t.r);
    const int squares = t.pair ? t.pairs : n;
    const double scale = std::sqrt(t.weight / squares);
    for (int i = 0; i < squares; ++i)
      rho.push_back(scale * (t.pair ? static_cast<double>(r(i)) - r(i + t.pairs) : static_cast<double>(r(i))));
  }
  return rho;
}

int Objective::interior_points() const {
  int most = 0;
  for (const auto& t : terms_)
    if (t->loss.where == pde::PointSet::interior) most = std::max(most, static_cast<int>(t->points.extent(0)));
  return most;
}

std::vector<double> Objective::interior_residual_squares(const ExecSpace& exec, const std::vector<double>& points) {
  const int dim = problem_.input_dim();
  const int n = static_cast<int>(points.size()) / dim;
  std::vector<double> score(n, 0.0);
  if (n == 0) return score;
  View2<Real> pts(Kokkos::view_alloc(std::string("pinnkit::solvers::Objective::candidates"), Kokkos::WithoutInitializing),
                  n, dim);
  auto hp = Kokkos::create_mirror_view(pts);
  for (int i = 0; i < n; ++i)
    for (int a = 0; a < dim; ++a) hp(i, a) = static_cast<Real>(points[static_cast<std::size_t>(i) * dim + a]);
  Kokkos::deep_copy(pts, hp);
  View1<Real> r("pinnkit::solvers::Objective::candidate_r", n);
  for (auto& t : terms_) {
    if (t->loss.where != pde::PointSet::interior) continue;
    const int nr = static_cast<int>(t->recipes.extent(0));
    View2<Real> values("pinnkit::solvers::Objective::candidate_values", n, nr);
    View2<Real> dr("pinnkit::solvers::Objective::candidate_dr", n, nr);
    residuals_at(exec, *t, pts, values, r, dr);
    const auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    for (int i = 0; i < n; ++i) score[i] += static_cast<double>(hr(i)) * hr(i);
  }
  return score;
}

void Objective::add_interior_points(const std::vector<double>& points) {
  const int dim = problem_.input_dim();
  const int added = static_cast<int>(points.size()) / dim;
  if (added == 0) return;
  for (auto& t : terms_) {
    if (t->loss.where != pde::PointSet::interior) continue;
    t->refined.insert(t->refined.end(), points.begin(), points.end());
    // The current set grows by the new points; nothing is redrawn.
    const auto old = Kokkos::create_mirror_view_and_copy(HostSpace(), t->points);
    const int n = static_cast<int>(old.extent(0)) + added;
    const int nr = static_cast<int>(t->recipes.extent(0));
    t->points = View2<Real>("pinnkit::solvers::Objective::points", n, dim);
    t->values = View2<Real>("pinnkit::solvers::Objective::values", n, nr);
    t->dr = View2<Real>("pinnkit::solvers::Objective::dr", n, nr);
    t->r = View1<Real>("pinnkit::solvers::Objective::r", n);
    t->out_adj = View3<Real>("pinnkit::solvers::Objective::out_adj", n, t->spec.channels(), problem_.output_dim());
    auto h = Kokkos::create_mirror_view(t->points);
    for (int i = 0; i < n; ++i)
      for (int a = 0; a < dim; ++a)
        h(i, a) = i < static_cast<int>(old.extent(0))
                      ? old(i, a)
                      : static_cast<Real>(points[static_cast<std::size_t>(i - old.extent(0)) * dim + a]);
    Kokkos::deep_copy(t->points, h);
  }
}

std::vector<double> Objective::refine(const ExecSpace& exec) {
  if (!refinement_) return {};
  const int quota = refinement_->quota(interior_points());
  if (quota == 0) return {};
  const std::vector<double> candidates = refinement_->draw_candidates(problem_.domain());
  const std::vector<double> score = interior_residual_squares(exec, candidates);
  std::vector<double> picked = ResidualRefinement::pick(candidates, problem_.input_dim(), score, quota);
  add_interior_points(picked);
  return picked;
}

}  // namespace pinnkit::solvers
