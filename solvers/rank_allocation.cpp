#include "solvers/rank_allocation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "solvers/stepper.hpp"

namespace pinnkit::solvers {

namespace {

Eigen::MatrixXd block_matrix(const models::ParamStore& store, const std::string& name, bool grads,
                             const std::vector<double>& all_grads) {
  const auto& b = store.block(name);
  const int rows = b.shape.at(0), cols = b.shape.size() > 1 ? b.shape[1] : 1;
  const std::vector<double> v =
      grads ? std::vector<double>(all_grads.begin() + static_cast<std::ptrdiff_t>(b.offset),
                                  all_grads.begin() + static_cast<std::ptrdiff_t>(b.offset + b.size()))
            : store.block_to_host(name);
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = v[static_cast<std::size_t>(i) * cols + j];
  return m;
}

// grads(block) += m (row-major); a free function for the device lambda.
void add_to_grads(const ExecSpace& exec, models::ParamStore& store, const std::string& name, const Eigen::MatrixXd& m) {
  const auto g = store.grads(name);
  const int cols = static_cast<int>(m.cols());
  View1<Real> d(Kokkos::view_alloc(std::string("pinnkit::solvers::orthogonality"), Kokkos::WithoutInitializing),
                g.extent(0));
  auto h = Kokkos::create_mirror_view(d);
  for (int i = 0; i < m.rows(); ++i)
    for (int j = 0; j < cols; ++j) h(static_cast<std::size_t>(i) * cols + j) = static_cast<Real>(m(i, j));
  Kokkos::deep_copy(exec, d, h);
  Kokkos::parallel_for(
      "pinnkit::solvers::orthogonality_gradient", Kokkos::RangePolicy<ExecSpace>(exec, 0, g.extent(0)),
      KOKKOS_LAMBDA(std::size_t i) { g(i) += d(i); });
  exec.fence();  // d and h are freed on return
}

}  // namespace

int scheduled_budget(const adapters::RankBudgetSpec& b, int components, int step, int total) {
  const int b0 = b.initial > 0 ? b.initial : components;
  if (b.target <= 0) return b0;
  if (step <= b.warmup) return b0;
  const int end = total - b.final_steps;
  if (step > end) return b.target;
  const double c = 1.0 - static_cast<double>(step - b.warmup) / (end - b.warmup);
  return b.target + static_cast<int>(std::floor((b0 - b.target) * c * c * c));
}

bool allocation_step(const adapters::RankBudgetSpec& b, int step, int total) {
  if (b.target <= 0) return false;
  const int end = total - b.final_steps;
  if (step <= b.warmup || step > end) return false;
  return (step - b.warmup) % b.every == 0 || step == end;
}

double orthogonality_penalty(const ExecSpace& exec, models::ParamStore& store,
                             const std::vector<adapters::SvdTriplet>& svd, double gamma, bool with_grad) {
  if (gamma == 0) return 0;
  double total = 0;
  for (const auto& t : svd) {
    const Eigen::MatrixXd p = block_matrix(store, t.p, false, {}), q = block_matrix(store, t.q, false, {});
    const Eigen::MatrixXd ep = p.transpose() * p - Eigen::MatrixXd::Identity(p.cols(), p.cols());
    const Eigen::MatrixXd eq = q * q.transpose() - Eigen::MatrixXd::Identity(q.rows(), q.rows());
    total += gamma * (ep.squaredNorm() + eq.squaredNorm());
    if (!with_grad) continue;
    if (store.block(t.p).trainable) add_to_grads(exec, store, t.p, 4 * gamma * p * ep);
    if (store.block(t.q).trainable) add_to_grads(exec, store, t.q, 4 * gamma * eq * q);
  }
  return total;
}

RankAllocator::RankAllocator(const models::ParamStore& store, const adapters::AdapterStructure& structure,
                             const adapters::AdapterSpec& spec, int total_steps, std::uint64_t seed,
                             ResidualFunction residuals, const std::string& file)
    : components_(store, structure.svd),
      spec_(spec),
      rule_(selection_registry().get(spec.selection, file, "adapter.selection")),
      seed_(seed),
      residuals_(std::move(residuals)) {
  const auto& methods = hessian_methods();
  const auto m = std::find(methods.begin(), methods.end(), spec.hessian);
  if (m == methods.end())
    throw InputError(input_message(file, "adapter.hessian", "expected one of " + join(methods) + ", got '" + spec.hessian + "'"));
  hessian_ = static_cast<HessianMethod>(m - methods.begin());
  PINNKIT_CHECK(hessian_ != HessianMethod::gauss_newton || residuals_ || !rule_.capabilities.needs_hessian,
                "RankAllocator: gauss_newton without a residual function");
  const int r = components_.size();
  const auto& b = spec.budget;
  auto fail = [&](const std::string& key, const std::string& what) {
    throw InputError(input_message(file, "adapter.budget." + key, what));
  };
  if (b.initial > r)
    fail("initial", "expected at most the " + std::to_string(r) + " components of the adapted layers, got " +
                        std::to_string(b.initial));
  if (b.target > r)
    fail("target", "expected at most the " + std::to_string(r) + " components of the adapted layers, got " +
                       std::to_string(b.target));
  if (b.target > 0 && b.warmup + b.final_steps >= total_steps)
    fail("warmup", "expected warmup + final_steps (" + std::to_string(b.warmup + b.final_steps) +
                       ") below the run's " + std::to_string(total_steps) + " training steps");
  if (rule_.capabilities.needs_adalora) {
    std::vector<int> ranks;
    for (int l = 0; l < components_.layers(); ++l) ranks.push_back(components_.offset(l + 1) - components_.offset(l));
    adalora_ = std::make_unique<AdaloraScore>(ranks);
  }
  mask_ = components_.mask(store);
}

void RankAllocator::add_penalty(const ExecSpace& exec, models::ParamStore& store, LossValues& loss, bool with_grad) {
  const double p = orthogonality_penalty(exec, store, components_.triplets(), spec_.orthogonality, with_grad);
  loss.terms["orthogonality"] += p;
  loss.total += p;
}

const Eigen::VectorXd& RankAllocator::allocate(const ExecSpace& exec, StepOracle& oracle, int step, int budget) {
  const auto t0 = std::chrono::steady_clock::now();
  auto& store = oracle.store();
  SelectionInput in;
  in.s = components_.values(store).cwiseProduct(mask_);
  in.seed = seed_ + static_cast<std::uint64_t>(step);
  double loss_before = 0;
  if (rule_.capabilities.needs_hessian) {
    SecondOrder so = second_order(exec, oracle, components_, hessian_, residuals_);
    loss_before = so.loss;
    in.g = std::move(so.g);
    in.hessian = std::move(so.h);
  } else {
    loss_before = oracle.value_and_grad(exec).total;
    in.g = components_.gradient(store);
  }
  if (adalora_) in.adalora = adalora_->scores();
  const std::vector<int> kept = rule_.build(in, budget);
  Eigen::VectorXd mask = Eigen::VectorXd::Zero(components_.size());
  for (int i : kept) mask(i) = 1;
  double predicted = std::numeric_limits<double>::quiet_NaN();
  if (in.hessian.size() > 0) {
    std::vector<int> pruned;
    for (int i = 0; i < components_.size(); ++i)
      if (mask(i) == 0 && mask_(i) != 0) pruned.push_back(i);
    predicted = PruningModel::from(in.s, in.g, in.hessian).pruning_change(pruned);
  }
  mask_ = mask;
  components_.set_mask(store, mask_);
  components_.set_values(store, in.s.cwiseProduct(mask_));
  pruned_any_ = mask_.minCoeff() == 0;
  const double loss_after = oracle.value_and_grad(exec).total;  // one evaluation: what the pruning cost
  Allocation a;
  a.step = step;
  a.budget = budget;
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  a.mask = mask_;
  a.loss_before = loss_before;
  a.loss_after = loss_after;
  a.predicted_change = predicted;
  history_.push_back(std::move(a));
  return mask_;
}

bool RankAllocator::after_step(const ExecSpace& exec, StepOracle& oracle, int step, int total) {
  auto& store = oracle.store();
  if (adalora_) {  // PEFT's order: the gradient the step used, the parameters after it
    const std::vector<double> grads = store.grads_to_host();
    for (int l = 0; l < components_.layers(); ++l) {
      const auto& t = components_.triplets()[l];
      const Eigen::MatrixXd s = block_matrix(store, t.s, false, {}), gs = block_matrix(store, t.s, true, grads);
      adalora_->update(l, s.col(0), gs.col(0), block_matrix(store, t.p, false, {}), block_matrix(store, t.p, true, grads),
                       block_matrix(store, t.q, false, {}), block_matrix(store, t.q, true, grads));
    }
  }
  // A pruned s stays 0 (momentum would move it; the function does not see it).
  if (pruned_any_) components_.set_values(store, components_.values(store).cwiseProduct(mask_));
  if (!allocation_step(spec_.budget, step, total)) return false;
  allocate(exec, oracle, step, scheduled_budget(spec_.budget, components_.size(), step, total));
  return true;
}

void RankAllocator::add_state(adapters::AdapterState& st) const {
  const int n = static_cast<int>(history_.size()), r = components_.size(), layers = components_.layers();
  st.attrs["allocation.selection"] = spec_.selection;
  st.attrs["allocation.hessian"] = spec_.hessian;
  st.attrs["allocation.orthogonality"] = std::to_string(spec_.orthogonality);
  std::string names;
  for (const auto& t : components_.triplets()) names += (names.empty() ? "" : ",") + t.s.substr(0, t.s.rfind('.'));
  st.attrs["allocation.layers"] = names;
  if (n == 0) return;
  adapters::AdapterArray steps{{}, {n}}, budgets{{}, {n}}, seconds{{}, {n}}, masks{{}, {n, r}}, ranks{{}, {n, layers}};
  adapters::AdapterArray before{{}, {n}}, after{{}, {n}}, predicted{{}, {n}};
  for (const auto& a : history_) {
    steps.values.push_back(a.step);
    budgets.values.push_back(a.budget);
    seconds.values.push_back(a.seconds);
    before.values.push_back(a.loss_before);
    after.values.push_back(a.loss_after);
    predicted.values.push_back(a.predicted_change);
    for (int i = 0; i < r; ++i) masks.values.push_back(a.mask(i));
    for (int k : components_.ranks(a.mask)) ranks.values.push_back(k);
  }
  st.arrays["allocation.step"] = steps;
  st.arrays["allocation.budget"] = budgets;
  st.arrays["allocation.seconds"] = seconds;
  st.arrays["allocation.mask"] = masks;
  st.arrays["allocation.ranks"] = ranks;
  st.arrays["allocation.loss_before"] = before;
  st.arrays["allocation.loss_after"] = after;
  st.arrays["allocation.predicted_change"] = predicted;
}

void RankAllocator::save(SavedState& state) const {
  state.put("mask", std::vector<double>(mask_.data(), mask_.data() + mask_.size()));
  state.put("pruned_any", pruned_any_ ? 1.0 : 0.0);
  std::vector<double> step, budget, seconds, before, after, predicted, masks;
  for (const auto& a : history_) {
    step.push_back(a.step);
    budget.push_back(a.budget);
    seconds.push_back(a.seconds);
    before.push_back(a.loss_before);
    after.push_back(a.loss_after);
    predicted.push_back(a.predicted_change);
    masks.insert(masks.end(), a.mask.data(), a.mask.data() + a.mask.size());
  }
  state.put("history.step", step);
  state.put("history.budget", budget);
  state.put("history.seconds", seconds);
  state.put("history.loss_before", before);
  state.put("history.loss_after", after);
  state.put("history.predicted_change", predicted);
  state.put("history.mask", masks);
  if (adalora_) {
    SavedState scores;
    adalora_->save(scores);
    state.put_sub("adalora", scores);
  }
}

void RankAllocator::restore(const SavedState& state) {
  const auto& mask = state.get("mask");
  if (mask.size() != static_cast<std::size_t>(mask_.size()))
    throw InputError("checkpoint: hook.mask: expected " + std::to_string(mask_.size()) + " components, got " +
                     std::to_string(mask.size()));
  mask_ = Eigen::Map<const Eigen::VectorXd>(mask.data(), mask_.size());
  pruned_any_ = state.scalar("pruned_any") != 0;
  const auto& step = state.get("history.step");
  const auto& masks = state.get("history.mask");
  if (masks.size() != step.size() * static_cast<std::size_t>(mask_.size()))
    throw InputError("checkpoint: hook.history.mask: expected " + std::to_string(step.size()) + " masks of " +
                     std::to_string(mask_.size()) + ", got " + std::to_string(masks.size()) + " values");
  history_.clear();
  for (std::size_t i = 0; i < step.size(); ++i) {
    Allocation a;
    a.step = static_cast<int>(step[i]);
    a.budget = static_cast<int>(state.get("history.budget").at(i));
    a.seconds = state.get("history.seconds").at(i);
    a.loss_before = state.get("history.loss_before").at(i);
    a.loss_after = state.get("history.loss_after").at(i);
    a.predicted_change = state.get("history.predicted_change").at(i);
    a.mask = Eigen::Map<const Eigen::VectorXd>(masks.data() + i * mask_.size(), mask_.size());
    history_.push_back(std::move(a));
  }
  if (adalora_) adalora_->restore(state.sub("adalora"));
}

}  // namespace pinnkit::solvers
