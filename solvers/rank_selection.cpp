#include "solvers/rank_selection.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/error.hpp"

namespace pinnkit::solvers {

PruningModel PruningModel::from(const Eigen::VectorXd& s, const Eigen::VectorXd& g, const Eigen::MatrixXd& hessian) {
  const auto r = s.size();
  PINNKIT_CHECK(g.size() == r && hessian.rows() == r && hessian.cols() == r,
                "PruningModel: s, g and H of different sizes");
  PruningModel m;
  m.g_hat = s.cwiseProduct(g);
  const Eigen::MatrixXd symmetric = 0.5 * (hessian + hessian.transpose());
  m.h_hat = s.asDiagonal() * symmetric * s.asDiagonal();
  return m;
}

double PruningModel::pruning_change(const std::vector<int>& pruned) const {
  double f = 0;
  for (int i : pruned) {
    f -= g_hat(i);
    for (int j : pruned) f += 0.5 * h_hat(i, j);
  }
  return f;
}

double PruningModel::keep_value(const std::vector<int>& kept) const {
  const Eigen::VectorXd row_sums = h_hat.rowwise().sum();
  double value = 0;
  for (int i : kept) {
    value += row_sums(i) - g_hat(i);
    for (int j : kept) value -= 0.5 * h_hat(i, j);
  }
  return value;
}

bool PruningModel::submodular(double tolerance) const {
  for (int i = 0; i < size(); ++i)
    for (int j = 0; j < size(); ++j)
      if (i != j && h_hat(i, j) < -tolerance) return false;
  return true;
}

bool PruningModel::monotone() const {
  for (int e = 0; e < size(); ++e)
    if (g_hat(e) > 0.5 * h_hat(e, e)) return false;
  return true;
}

Eigen::MatrixXd project_submodular(const Eigen::MatrixXd& h_hat) {
  // The constraint set {X: X_ij >= 0 for i != j} is a product of intervals,
  // so the Frobenius projection acts entry by entry.
  Eigen::MatrixXd p = h_hat;
  for (Eigen::Index i = 0; i < p.rows(); ++i)
    for (Eigen::Index j = 0; j < p.cols(); ++j)
      if (i != j) p(i, j) = std::max(p(i, j), 0.0);
  return p;
}

std::vector<int> greedy_keep(const PruningModel& model, int budget) {
  const int r = model.size();
  budget = std::clamp(budget, 0, r);
  const Eigen::MatrixXd& h = model.h_hat;
  // a_e = (H 1)_e - g_e - H_ee / 2; c_e grows by H_ej as j joins S.
  Eigen::VectorXd gain = h.rowwise().sum() - model.g_hat - 0.5 * h.diagonal();
  std::vector<bool> taken(static_cast<std::size_t>(r), false);
  std::vector<int> kept;
  for (int k = 0; k < budget; ++k) {
    int best = -1;
    for (int e = 0; e < r; ++e)
      if (!taken[e] && (best < 0 || gain(e) > gain(best))) best = e;
    taken[best] = true;
    kept.push_back(best);
    for (int e = 0; e < r; ++e) gain(e) -= h(e, best);
  }
  return kept;
}

std::vector<int> top_scores(const Eigen::VectorXd& score, int budget) {
  const int r = static_cast<int>(score.size());
  std::vector<int> order(static_cast<std::size_t>(r));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return score(a) > score(b); });
  order.resize(static_cast<std::size_t>(std::clamp(budget, 0, r)));
  return order;
}

AdaloraScore::AdaloraScore(std::vector<int> ranks, double beta1, double beta2)
    : ranks_(std::move(ranks)), beta1_(beta1), beta2_(beta2), layers_(ranks_.size()) {
  for (std::size_t l = 0; l < ranks_.size(); ++l) layers_[l].score = Eigen::VectorXd::Zero(ranks_[l]);
}

Eigen::MatrixXd AdaloraScore::Smoothed::update(const Eigen::MatrixXd& sensitivity, double beta1, double beta2) {
  if (mean.size() == 0) {
    mean = Eigen::MatrixXd::Zero(sensitivity.rows(), sensitivity.cols());
    uncertainty = mean;
  }
  mean = beta1 * mean + (1 - beta1) * sensitivity;
  uncertainty = beta2 * uncertainty + (1 - beta2) * (sensitivity - mean).cwiseAbs();
  return mean.cwiseProduct(uncertainty);
}

void AdaloraScore::update(int layer, const Eigen::VectorXd& s, const Eigen::VectorXd& gs, const Eigen::MatrixXd& p,
                          const Eigen::MatrixXd& gp, const Eigen::MatrixXd& q, const Eigen::MatrixXd& gq) {
  PINNKIT_CHECK(layer >= 0 && layer < static_cast<int>(layers_.size()), "AdaloraScore: no such layer");
  const int r = ranks_[layer];
  PINNKIT_CHECK(s.size() == r && gs.size() == r && p.cols() == r && q.rows() == r && gp.rows() == p.rows() &&
                    gp.cols() == r && gq.rows() == r && gq.cols() == q.cols(),
                "AdaloraScore: shapes do not match the layer's rank");
  Layer& L = layers_[layer];
  const Eigen::MatrixXd es = L.s.update(s.cwiseProduct(gs).cwiseAbs(), beta1_, beta2_);
  const Eigen::MatrixXd ep = L.p.update(p.cwiseProduct(gp).cwiseAbs(), beta1_, beta2_);
  const Eigen::MatrixXd eq = L.q.update(q.cwiseProduct(gq).cwiseAbs(), beta1_, beta2_);
  L.score = es.col(0) + ep.colwise().mean().transpose() + eq.rowwise().mean();
}

namespace {
/// A matrix as [rows, cols, entries (column-major)...].
std::vector<double> flatten(const Eigen::MatrixXd& m) {
  std::vector<double> v{double(m.rows()), double(m.cols())};
  v.insert(v.end(), m.data(), m.data() + m.size());
  return v;
}
Eigen::MatrixXd unflatten(const std::vector<double>& v, const std::string& name) {
  if (v.size() < 2 || v.size() != 2 + static_cast<std::size_t>(v[0] * v[1]))
    throw InputError("checkpoint: " + name + ": expected [rows, cols, entries], got " + std::to_string(v.size()) +
                     " values");
  Eigen::MatrixXd m(static_cast<Eigen::Index>(v[0]), static_cast<Eigen::Index>(v[1]));
  std::copy(v.begin() + 2, v.end(), m.data());
  return m;
}
}  // namespace

void AdaloraScore::save(SavedState& state) const {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const std::string p = "layer" + std::to_string(l) + ".";
    const Layer& L = layers_[l];
    state.put(p + "s.mean", flatten(L.s.mean));
    state.put(p + "s.uncertainty", flatten(L.s.uncertainty));
    state.put(p + "p.mean", flatten(L.p.mean));
    state.put(p + "p.uncertainty", flatten(L.p.uncertainty));
    state.put(p + "q.mean", flatten(L.q.mean));
    state.put(p + "q.uncertainty", flatten(L.q.uncertainty));
    state.put(p + "score", flatten(L.score));
  }
}

void AdaloraScore::restore(const SavedState& state) {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const std::string p = "layer" + std::to_string(l) + ".";
    Layer& L = layers_[l];
    L.s.mean = unflatten(state.get(p + "s.mean"), p + "s.mean");
    L.s.uncertainty = unflatten(state.get(p + "s.uncertainty"), p + "s.uncertainty");
    L.p.mean = unflatten(state.get(p + "p.mean"), p + "p.mean");
    L.p.uncertainty = unflatten(state.get(p + "p.uncertainty"), p + "p.uncertainty");
    L.q.mean = unflatten(state.get(p + "q.mean"), p + "q.mean");
    L.q.uncertainty = unflatten(state.get(p + "q.uncertainty"), p + "q.uncertainty");
    L.score = unflatten(state.get(p + "score"), p + "score").col(0);
  }
}

Eigen::VectorXd AdaloraScore::scores() const {
  const int total = std::accumulate(ranks_.begin(), ranks_.end(), 0);
  Eigen::VectorXd all(total);
  int at = 0;
  for (const auto& L : layers_) {
    all.segment(at, L.score.size()) = L.score;
    at += static_cast<int>(L.score.size());
  }
  return all;
}

namespace {

std::vector<int> sublora(const SelectionInput& in, int budget) {
  PruningModel m = PruningModel::from(in.s, in.g, in.hessian);
  m.h_hat = project_submodular(m.h_hat);
  return greedy_keep(m, budget);
}

std::vector<int> diagonal(const SelectionInput& in, int budget) {
  // F with the off-diagonal of H dropped is modular: the value of keeping i
  // alone is f({i}) = H^_ii / 2 - g^_i, the predicted cost of pruning it.
  const PruningModel m = PruningModel::from(in.s, in.g, in.hessian);
  return top_scores(0.5 * m.h_hat.diagonal() - m.g_hat, budget);
}

std::vector<int> first_order(const SelectionInput& in, int budget) {
  return top_scores(in.s.cwiseProduct(in.g).cwiseAbs(), budget);
}

std::vector<int> magnitude(const SelectionInput& in, int budget) { return top_scores(in.s.cwiseAbs(), budget); }

std::vector<int> adalora(const SelectionInput& in, int budget) {
  PINNKIT_CHECK(in.adalora.size() == in.s.size(), "adalora selection without scores for every component");
  return top_scores(in.adalora, budget);
}

std::vector<int> random_keep(const SelectionInput& in, int budget) {
  std::vector<int> order(static_cast<std::size_t>(in.s.size()));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(in.seed);
  std::shuffle(order.begin(), order.end(), rng);
  order.resize(static_cast<std::size_t>(std::clamp(budget, 0, static_cast<int>(in.s.size()))));
  return order;
}

SelectionCapabilities needs(bool hessian, bool adalora_scores) {
  SelectionCapabilities c;
  c.needs_hessian = hessian;
  c.needs_adalora = adalora_scores;
  return c;
}

}  // namespace

const Registry<SelectionEntry>& selection_registry() {
  static const Registry<SelectionEntry> registry{
      "rank selectors",
      "adapter.selection",
      {
          {"sublora", "second-order F projected to submodular, greedy (1 - 1/e when monotone)", sublora,
           needs(true, false)},
          {"adalora", "AdaLoRA: smoothed sensitivity times its uncertainty, per triplet", adalora, needs(false, true)},
          {"first_order", "|s_i g_i|", first_order, needs(false, false)},
          {"diagonal", "second order with the Hessian's diagonal only: H^_ii / 2 - g^_i", diagonal, needs(true, false)},
          {"magnitude", "|s_i|", magnitude, needs(false, false)},
          {"random", "a seeded random subset (the floor any rule must beat)", random_keep, needs(false, false)},
      }};
  return registry;
}

}  // namespace pinnkit::solvers
