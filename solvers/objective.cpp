#include "solvers/objective.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/runtime.hpp"
#include "pde/space_time.hpp"
#include "solvers/refinement.hpp"
#include "solvers/unknowns.hpp"

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
  std::vector<double> global;  ///< the whole point set (host, row-major); `points` holds this rank's share
  /// The mean's denominator: squared residuals over all ranks (a term kept
  /// whole on every rank counts each copy, so the ranks' sum is its mean).
  double squares = 0;
  View2<Real> points;
  Kokkos::View<DerivativeRecipe*, MemSpace> recipes;  ///< one per residual read
  View1<int> outputs;                                  ///< output of each read
  View1<int> unknowns;  ///< problem unknown of each column after the reads
  View1<Real> targets;  ///< data terms: the observed value of each point
  View2<Real> values, dr;  ///< columns: reads, then unknowns
  View1<Real> r;
  View3<Real> out_adj;
};

namespace {

int requested_count(const SamplingSpec& s, pde::PointSet where) {
  switch (where) {
    case pde::PointSet::interior: return s.interior;
    case pde::PointSet::boundary: return s.boundary;
    case pde::PointSet::initial: return s.initial;
    case pde::PointSet::data: return 0;  // the observations' own count
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
    t->count = lt.fixed ? lt.fixed->count() : requested_count(sampling, lt.where);
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
    const auto& unknowns = lt.residual->unknowns();
    t->unknowns = View1<int>("pinnkit::solvers::Objective::unknowns", unknowns.size());
    auto hu = Kokkos::create_mirror_view(t->unknowns);
    for (std::size_t j = 0; j < unknowns.size(); ++j) hu(j) = unknowns[j];
    Kokkos::deep_copy(t->unknowns, hu);
    terms_.push_back(std::move(t));
  }
  const auto& unknowns = problem.unknowns();
  const int nu = static_cast<int>(unknowns.size());
  unknown_maps_ = Kokkos::View<pde::UnknownMap*, MemSpace>("pinnkit::solvers::Objective::unknown_maps", nu);
  unknown_offsets_ = View1<int>("pinnkit::solvers::Objective::unknown_offsets", nu);
  unknown_value_ = View1<Real>("pinnkit::solvers::Objective::unknown_value", nu);
  unknown_slope_ = View1<Real>("pinnkit::solvers::Objective::unknown_slope", nu);
  auto hm = Kokkos::create_mirror_view(unknown_maps_);
  auto hoff = Kokkos::create_mirror_view(unknown_offsets_);
  for (int k = 0; k < nu; ++k) {
    hm(k) = unknowns[k].map;
    hoff(k) = static_cast<int>(store.block(unknown_block(unknowns[k].name)).offset);
  }
  Kokkos::deep_copy(unknown_maps_, hm);
  Kokkos::deep_copy(unknown_offsets_, hoff);
  if (sampling.refine.every > 0)
    refinement_ = std::make_unique<ResidualRefinement>(sampling.refine, sampling.method, dim, refinement_seed(seed));
  resample();
}

Objective::~Objective() = default;

void Objective::set_points(Term& term, const std::vector<double>& all) {
  auto* t = &term;
  const int dim = problem_.input_dim();
  t->global = all;
  const int ranks = comm_ ? comm_->size() : 1;
  const int rows = static_cast<int>(all.size() / dim);
  // Pairs stay whole: rows i and i + pairs belong together.
  const bool split = ranks > 1 && !t->pair;
  const int lo = split ? static_cast<int>(static_cast<long>(rows) * comm_->rank() / ranks) : 0;
  const int hi = split ? static_cast<int>(static_cast<long>(rows) * (comm_->rank() + 1) / ranks) : rows;
  t->squares = split ? rows : static_cast<double>(t->pair ? t->pairs : rows) * ranks;
  const double* pts = all.data() + static_cast<std::ptrdiff_t>(lo) * dim;  // this rank's rows, not copied
  const int n = hi - lo;
  if (!t->points.data() || static_cast<int>(t->points.extent(0)) != n) {
    t->points = View2<Real>("pinnkit::solvers::Objective::points", n, dim);
    const int nr = t->loss.residual->columns();
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
  if (t->loss.fixed) {  // observations: each point's measured value, the same share
    t->targets = View1<Real>("pinnkit::solvers::Objective::targets", n);
    auto ht = Kokkos::create_mirror_view(t->targets);
    for (int i = 0; i < n; ++i) ht(i) = static_cast<Real>(t->loss.fixed->targets[static_cast<std::size_t>(lo + i)]);
    Kokkos::deep_copy(t->targets, ht);
  }
}

std::vector<double> Objective::host_points(const Term& t) const { return t.global; }

void Objective::distribute(const Communicator& comm, const std::atomic<bool>* signal, std::atomic<bool>* agreed) {
  comm_ = &comm;
  signal_ = signal;
  agreed_stop_ = agreed;
  for (auto& t : terms_) set_points(*t, t->global);
}

void Objective::reduce(const ExecSpace& exec, std::vector<double>& sums, bool with_grad) {
  const auto grads = store_.grads();
  const std::size_t np = with_grad ? grads.extent(0) : 0;
  reduce_buffer_.assign(sums.begin(), sums.end());
  reduce_buffer_.resize(sums.size() + np + 1);
  if (with_grad) {
    const auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), grads);
    for (std::size_t i = 0; i < np; ++i) reduce_buffer_[sums.size() + i] = static_cast<double>(h(i));
  }
  reduce_buffer_.back() = signal_ && signal_->load() ? 1.0 : 0.0;
  comm_->sum(reduce_buffer_);  // the one collective of an evaluation
  std::copy(reduce_buffer_.begin(), reduce_buffer_.begin() + static_cast<std::ptrdiff_t>(sums.size()), sums.begin());
  if (with_grad) {
    auto h = Kokkos::create_mirror_view(grads);
    for (std::size_t i = 0; i < np; ++i) h(i) = static_cast<Real>(reduce_buffer_[sums.size() + i]);
    Kokkos::deep_copy(exec, grads, h);
    exec.fence();
  }
  if (agreed_stop_ && reduce_buffer_.back() > 0) agreed_stop_->store(true);
}

void Objective::save(SavedState& state) const {
  state.put("resamples", resamples_);
  state.put("candidate_draws", candidate_draws_);
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    state.put("points." + std::to_string(k), host_points(*terms_[k]));
    state.put("refined." + std::to_string(k), terms_[k]->refined);
  }
}

void Objective::restore(const SavedState& state) {
  // The samplers are replayed to where they were (same seeds, same draws),
  // so that later resamples continue the saved run's sequences; the point
  // sets themselves come from the checkpoint (refined points included).
  const int resamples = static_cast<int>(state.scalar("resamples"));
  const int draws = static_cast<int>(state.scalar("candidate_draws"));
  if (resamples < resamples_ || (draws > 0 && !refinement_))
    throw InputError("checkpoint: expected the point sets of this config's sampling, got " + std::to_string(resamples) +
                     " resamples and " + std::to_string(draws) + " refinement draws");
  while (resamples_ < resamples) resample();
  for (; candidate_draws_ < draws; ++candidate_draws_) refinement_->draw_candidates(problem_.domain());
  const int dim = problem_.input_dim();
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    const auto& pts = state.get("points." + std::to_string(k));
    if (pts.size() % dim != 0)
      throw InputError("checkpoint: points." + std::to_string(k) + ": expected rows of " + std::to_string(dim) +
                       " coordinates, got " + std::to_string(pts.size()) + " values");
    terms_[k]->refined = state.get("refined." + std::to_string(k));
    set_points(*terms_[k], pts);
  }
}

void Objective::resample() {
  ++resamples_;
  const auto& domain = problem_.domain();
  const int dim = domain.dim();
  for (auto& t : terms_) {
    const pde::UnitSource source{[&t](int m) { return t->sampler->next(m); }, t->grid};
    std::vector<double> pts;
    if (t->loss.fixed) {
      if (t->points.data()) continue;  // fixed for good: set once
      pts = t->loss.fixed->points;
    } else if (t->loss.where == pde::PointSet::interior) {
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
    set_points(*t, pts);
  }
}

std::map<std::string, int> Objective::point_counts() const {
  std::map<std::string, int> counts;
  const auto dim = static_cast<std::size_t>(problem_.input_dim());
  for (const auto& t : terms_) counts[t->loss.name] += static_cast<int>(t->global.size() / dim);
  return counts;
}

LossValues Objective::value_and_grad(const ExecSpace& exec) { return evaluate(exec, true); }
LossValues Objective::value(const ExecSpace& exec) { return evaluate(exec, false); }

LossValues Objective::evaluate(const ExecSpace& exec, bool with_grad) {
  if (with_grad) store_.zero_grads();
  update_unknowns(exec);
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
  const int nu = static_cast<int>(unknown_maps_.extent(0));
  if (with_grad && nu > 0) {
    if (unknown_sums_.extent(0) < chunks.size() * nu)
      unknown_sums_ = View1<double>("pinnkit::solvers::Objective::unknown_sums", chunks.size() * nu);
    Kokkos::deep_copy(exec, unknown_sums_, 0.0);
  }
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    View1<double> unknown_sums;
    if (with_grad && nu > 0) unknown_sums = Kokkos::subview(unknown_sums_, Kokkos::make_pair(c * nu, (c + 1) * nu));
    evaluate_rows(exec, *terms_[chunks[c].term], with_grad, chunks[c].r0, chunks[c].r1,
                  Kokkos::subview(term_sums_, c), unknown_sums);
  }
  if (with_grad && nu > 0) add_unknown_gradients(exec, static_cast<int>(chunks.size()));
  Kokkos::deep_copy(exec, term_sums_host_, term_sums_);
  exec.fence();
  LossValues loss;
  std::vector<double> sums(terms_.size(), 0.0);
  for (std::size_t c = 0; c < chunks.size(); ++c) sums[chunks[c].term] += term_sums_host_(c);
  if (comm_ && comm_->size() > 1) reduce(exec, sums, with_grad);
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    const auto& t = *terms_[k];
    const double term = t.weight * sums[k] / t.squares;
    loss.terms[t.loss.name] += term;
    loss.total += term;
  }
  return loss;
}

int Objective::chunk_points(const JetSpec& spec) const {
  return chunk_points_ > 0 ? chunk_points_ : cache_chunk_points(model_, spec);
}

int cache_chunk_points(const models::Model& model, const JetSpec& spec) {
  // A chunk of ~40k jet entries per thread keeps a layer's jets and adjoints
  // in cache; every kernel of a chunk ends in a barrier, though, so with
  // several threads a chunk keeps >= 256 points per thread, where barriers
  // stopped mattering on the 2-core development VM even under load
  // (bench_step chunk/ sweep, docs/performance.md). On a GPU the concurrency
  // makes a chunk larger than any point set: one pass, as before.
  const int threads = backend_threads();
  const double per_point = static_cast<double>(spec.channels()) * model.widest_layer();
  double points = 40960.0 * threads / per_point;
  if (threads > 1) points = std::max(points, 256.0 * threads);
  return static_cast<int>(std::clamp(points, 32.0, 1e9));
}

void Objective::residuals_at(const ExecSpace& exec, const Term& t, View2<const Real> points,
                             View2<Real> values, View1<Real> r, View2<Real> dr, View1<const Real> targets) {
  const int n = static_cast<int>(points.extent(0));
  const auto out = model_.forward(exec, t.spec, points);
  auto recipes = t.recipes;
  auto outputs = t.outputs;
  auto unknowns = t.unknowns;
  auto unknown_value = unknown_value_;
  const int nr = static_cast<int>(recipes.extent(0)), nu = static_cast<int>(unknowns.extent(0));
  Kokkos::parallel_for(
      "pinnkit::solvers::Objective::gather", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
      KOKKOS_LAMBDA(int i) {
        for (int j = 0; j < nr; ++j) {
          const int o = outputs(j);
          values(i, j) = recipes(j).combine([&](int c) { return out(i, c, o); });
        }
        for (int j = 0; j < nu; ++j) values(i, nr + j) = unknown_value(unknowns(j));
      });
  t.loss.residual->evaluate(exec, points, values, r, dr);
  if (targets.data())
    Kokkos::parallel_for(
        "pinnkit::solvers::Objective::misfit", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
        KOKKOS_LAMBDA(int i) { r(i) -= targets(i); });
}

void Objective::update_unknowns(const ExecSpace& exec) {
  const int nu = static_cast<int>(unknown_maps_.extent(0));
  if (nu == 0) return;
  auto maps = unknown_maps_;
  auto offsets = unknown_offsets_;
  auto value = unknown_value_;
  auto slope = unknown_slope_;
  auto params = store_.params();
  Kokkos::parallel_for(
      "pinnkit::solvers::Objective::unknowns", Kokkos::RangePolicy<ExecSpace>(exec, 0, nu), KOKKOS_LAMBDA(int k) {
        const double theta = params(offsets(k));
        value(k) = static_cast<Real>(maps(k).value(theta));
        slope(k) = static_cast<Real>(maps(k).derivative(theta));
      });
}

void Objective::add_unknown_gradients(const ExecSpace& exec, int chunks) {
  auto sums = unknown_sums_;
  auto offsets = unknown_offsets_;
  auto slope = unknown_slope_;
  auto grads = store_.grads();
  const int nu = static_cast<int>(unknown_maps_.extent(0));
  Kokkos::parallel_for(
      "pinnkit::solvers::Objective::unknown_gradients", Kokkos::RangePolicy<ExecSpace>(exec, 0, nu),
      KOKKOS_LAMBDA(int k) {
        double g = 0;
        for (int c = 0; c < chunks; ++c) g += sums(c * nu + k);
        grads(offsets(k)) += static_cast<Real>(g * slope(k));
      });
}

std::map<std::string, double> Objective::unknown_values() const {
  return solvers::unknown_values(problem_, store_);
}

void Objective::evaluate_rows(const ExecSpace& exec, Term& t, bool with_grad, int r0, int r1,
                              const Kokkos::View<double, MemSpace>& sum_sq, const View1<double>& unknown_sums) {
  const auto rows = Kokkos::make_pair(r0, r1);
  const int n = r1 - r0;
  const auto points = Kokkos::subview(t.points, rows, Kokkos::ALL);
  const auto values = Kokkos::subview(t.values, rows, Kokkos::ALL);
  const auto r = Kokkos::subview(t.r, rows);
  const auto dr = Kokkos::subview(t.dr, rows, Kokkos::ALL);
  const auto adj = Kokkos::subview(t.out_adj, rows, Kokkos::ALL, Kokkos::ALL);
  View1<const Real> targets;
  if (t.targets.data()) targets = Kokkos::subview(t.targets, rows);
  residuals_at(exec, t, points, values, r, dr, targets);
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
  const Real scale = static_cast<Real>(2 * t.weight / t.squares);
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
  // dL/dv of each unknown the residual reads: its dual column, weighted like the seeds.
  auto unknowns = t.unknowns;
  for (int j = 0; j < static_cast<int>(unknowns.extent(0)); ++j) {
    const int k = t.loss.residual->unknowns()[j];
    Kokkos::parallel_reduce(
        "pinnkit::solvers::Objective::unknown_seed", Kokkos::RangePolicy<ExecSpace>(exec, 0, n),
        KOKKOS_LAMBDA(int i, double& s) {
          Real sign;
          const Real e = paired(i, sign);
          s += static_cast<double>(scale * sign * e * dr(i, nr + j));
        },
        Kokkos::subview(unknown_sums, k));
  }
  model_.backward(exec, t.spec, adj);
}

std::vector<double> Objective::weighted_residuals(const ExecSpace& exec) {
  std::vector<double> rho;
  for (auto& tp : terms_) {
    Term& t = *tp;
    const int n = static_cast<int>(t.points.extent(0));
    if (n == 0) continue;
    residuals_at(exec, t, t.points, t.values, t.r, t.dr, t.targets);
    const auto r = Kokkos::create_mirror_view_and_copy(HostSpace(), t.r);
    const int squares = t.pair ? t.pairs : n;  // this rank's rows
    const double scale = std::sqrt(t.weight / t.squares);
    for (int i = 0; i < squares; ++i)
      rho.push_back(scale * (t.pair ? static_cast<double>(r(i)) - r(i + t.pairs) : static_cast<double>(r(i))));
  }
  return rho;
}

int Objective::interior_points() const {
  int most = 0;
  for (const auto& t : terms_)
    if (t->loss.where == pde::PointSet::interior)
      most = std::max(most, static_cast<int>(t->global.size() / static_cast<std::size_t>(problem_.input_dim())));
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
    const int nr = t->loss.residual->columns();
    View2<Real> values("pinnkit::solvers::Objective::candidate_values", n, nr);
    View2<Real> dr("pinnkit::solvers::Objective::candidate_dr", n, nr);
    update_unknowns(exec);
    residuals_at(exec, *t, pts, values, r, dr, {});
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
    std::vector<double> grown = host_points(*t);
    grown.insert(grown.end(), points.begin(), points.end());
    set_points(*t, grown);
  }
}

std::vector<double> Objective::refine(const ExecSpace& exec) {
  if (!refinement_) return {};
  const int quota = refinement_->quota(interior_points());
  if (quota == 0) return {};
  const std::vector<double> candidates = refinement_->draw_candidates(problem_.domain());
  ++candidate_draws_;
  const std::vector<double> score = interior_residual_squares(exec, candidates);
  std::vector<double> picked = ResidualRefinement::pick(candidates, problem_.input_dim(), score, quota);
  add_interior_points(picked);
  return picked;
}

}  // namespace pinnkit::solvers
