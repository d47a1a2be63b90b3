#include "core/jet_spec.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"

namespace pinnkit {

namespace {

std::string to_string(const MultiIndex& alpha) {
  std::ostringstream s;
  s << "{";
  for (std::size_t i = 0; i < alpha.size(); ++i) s << (i ? "," : "") << alpha[i];
  return s.str() + "}";
}

int total_order(const MultiIndex& alpha) {
  int t = 0;
  for (int a : alpha) t += a;
  return t;
}

std::vector<int> nonzero_axes(const MultiIndex& alpha) {
  std::vector<int> axes;
  for (int i = 0; i < static_cast<int>(alpha.size()); ++i)
    if (alpha[i] != 0) axes.push_back(i);
  return axes;
}

Real factorial(int k) {
  Real f = 1;
  for (int i = 2; i <= k; ++i) f *= i;
  return f;
}

}  // namespace

JetSpec::JetSpec(int input_dim) : JetSpec(input_dim, {}) {}

JetSpec::JetSpec(int input_dim, const std::vector<MultiIndex>& derivatives)
    : JetSpec(input_dim, derivatives, {}) {}

JetSpec::JetSpec(int input_dim, const std::vector<MultiIndex>& derivatives,
                 const std::vector<int>& laplacian_axes)
    : input_dim_(input_dim), laplacian_axes_(laplacian_axes) {
  if (input_dim < 1)
    throw InputError(input_message("", "jet spec", "expected an input dimension >= 1, got " +
                                                       std::to_string(input_dim)));
  derivatives_.push_back(MultiIndex(input_dim, 0));
  for (const MultiIndex& alpha : derivatives) {
    validate(alpha);
    if (std::find(derivatives_.begin(), derivatives_.end(), alpha) == derivatives_.end())
      derivatives_.push_back(alpha);
  }
  std::sort(laplacian_axes_.begin(), laplacian_axes_.end());
  for (std::size_t k = 0; k < laplacian_axes_.size(); ++k) {
    const int a = laplacian_axes_[k];
    if (a < 0 || a >= input_dim || (k > 0 && laplacian_axes_[k - 1] == a))
      throw InputError(input_message("", "laplacian axes",
                                     "expected distinct axes in [0, " + std::to_string(input_dim) +
                                         "), got " + to_string(laplacian_axes)));
  }
  build();
}

void JetSpec::validate(const MultiIndex& alpha) const {
  auto fail = [&](const std::string& expected) {
    throw InputError(input_message("", "derivative " + to_string(alpha),
                                   "expected " + expected + ", got " + to_string(alpha)));
  };
  if (static_cast<int>(alpha.size()) != input_dim_)
    fail("a multi-index with " + std::to_string(input_dim_) + " entries");
  for (int a : alpha)
    if (a < 0) fail("non-negative orders");
  const int total = total_order(alpha);
  if (total > max_jet_order) fail("total order <= " + std::to_string(max_jet_order));
  const auto axes = nonzero_axes(alpha);
  if (axes.size() > 2 || (axes.size() == 2 && total != 2))
    fail("a pure derivative or a mixed second derivative u_{x_i x_j}");
}

void JetSpec::build() {
  std::vector<int> axis_order(input_dim_, 0);
  std::vector<std::pair<int, int>> pairs;
  for (const MultiIndex& alpha : derivatives_) {
    const auto axes = nonzero_axes(alpha);
    if (axes.size() == 1) {
      axis_order[axes[0]] = std::max(axis_order[axes[0]], alpha[axes[0]]);
    } else if (axes.size() == 2) {
      // Polarisation needs D^2 along e_i, e_j and e_i + e_j.
      axis_order[axes[0]] = std::max(axis_order[axes[0]], 2);
      axis_order[axes[1]] = std::max(axis_order[axes[1]], 2);
      pairs.emplace_back(axes[0], axes[1]);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  // The Laplacian collapses unless an axis of it carries z_2 anyway.
  bool collapse = !laplacian_axes_.empty();
  for (int a : laplacian_axes_) collapse = collapse && axis_order[a] < 2;
  for (int a : laplacian_axes_) axis_order[a] = std::max(axis_order[a], collapse ? 1 : 2);

  directions_.clear();
  channels_ = 1;
  auto add = [&](int a, int b, int order) {
    directions_.push_back(JetDirection{a, b, order, channels_});
    channels_ += order;
  };
  for (int i = 0; i < input_dim_; ++i)
    if (axis_order[i] > 0) add(i, -1, axis_order[i]);
  for (const auto& p : pairs) add(p.first, p.second, 2);
  if (direction_count() > max_jet_directions)
    throw InputError(input_message("", "jet spec", "expected at most " +
                                                       std::to_string(max_jet_directions) +
                                                       " directions, got " +
                                                       std::to_string(direction_count())));
  layout_ = JetLayout{};
  if (collapse) {
    layout_.laplacian_channel = channels_++;
    for (int a : laplacian_axes_) layout_.laplacian_first[layout_.laplacian_terms++] = directions_[find_direction(a)].first_channel;
  }
  layout_.channels = channels_;
  layout_.directions = direction_count();
  for (int d = 0; d < direction_count(); ++d) {
    layout_.first_channel[d] = directions_[d].first_channel;
    layout_.order[d] = directions_[d].order;
  }
}

const JetDirection& JetSpec::direction(int d) const {
  PINNKIT_CHECK(d >= 0 && d < direction_count(), "direction index out of range");
  return directions_[d];
}

int JetSpec::find_direction(int axis, int axis_b) const {
  for (int d = 0; d < direction_count(); ++d)
    if (directions_[d].axis_a == axis && directions_[d].axis_b == axis_b) return d;
  return -1;
}

int JetSpec::channel(int d, int k) const {
  if (k == 0) return 0;
  const JetDirection& dir = direction(d);
  PINNKIT_CHECK(k >= 1 && k <= dir.order, "Taylor order out of range for this direction");
  return dir.first_channel + k - 1;
}

int JetSpec::max_order() const {
  int m = layout_.has_laplacian() ? 2 : 0;
  for (const auto& d : directions_) m = std::max(m, d.order);
  return m;
}

bool JetSpec::provides(const MultiIndex& alpha) const {
  if (static_cast<int>(alpha.size()) != input_dim_) return false;
  for (int a : alpha)
    if (a < 0) return false;
  const auto axes = nonzero_axes(alpha);
  if (axes.empty()) return true;
  if (axes.size() == 1) {
    const int d = find_direction(axes[0]);
    return d >= 0 && directions_[d].order >= alpha[axes[0]];
  }
  return axes.size() == 2 && total_order(alpha) == 2 && find_direction(axes[0], axes[1]) >= 0;
}

DerivativeRecipe JetSpec::recipe(const MultiIndex& alpha) const {
  if (!provides(alpha))
    throw InputError(input_message("", "derivative " + to_string(alpha),
                                   "expected one of the jet's derivatives (" + describe() +
                                       "), got " + to_string(alpha)));
  DerivativeRecipe r;
  const auto axes = nonzero_axes(alpha);
  if (axes.empty()) {
    r.terms = 1;
    r.channel[0] = 0;
    r.weight[0] = 1;
  } else if (axes.size() == 1) {
    const int k = alpha[axes[0]];
    r.terms = 1;
    r.channel[0] = channel(find_direction(axes[0]), k);
    r.weight[0] = factorial(k);
  } else {
    // u_ij = (D2_{ei+ej} - D2_ei - D2_ej) / 2 and D2_v = 2! z2_v: the 2s cancel.
    r.terms = 3;
    r.channel[0] = channel(find_direction(axes[0], axes[1]), 2);
    r.channel[1] = channel(find_direction(axes[0]), 2);
    r.channel[2] = channel(find_direction(axes[1]), 2);
    r.weight[0] = 1;
    r.weight[1] = -1;
    r.weight[2] = -1;
  }
  return r;
}

DerivativeRecipe JetSpec::laplacian_recipe(std::vector<int> axes) const {
  std::sort(axes.begin(), axes.end());
  DerivativeRecipe r;
  if (layout_.has_laplacian() && axes == laplacian_axes_) {
    r.terms = 1;
    r.channel[0] = layout_.laplacian_channel;
    r.weight[0] = 2;  // D_i^2 u = 2 z_2(e_i)
    return r;
  }
  bool valid = !axes.empty() && static_cast<int>(axes.size()) <= DerivativeRecipe::max_terms;
  for (std::size_t k = 0; k < axes.size(); ++k)
    valid = valid && axes[k] >= 0 && axes[k] < input_dim_ && (k == 0 || axes[k - 1] != axes[k]);
  if (!valid)
    throw InputError(input_message("", "laplacian axes",
                                   "expected 1 to " + std::to_string(DerivativeRecipe::max_terms) +
                                       " distinct axes in [0, " + std::to_string(input_dim_) + "), got " +
                                       to_string(axes)));
  for (int a : axes) {
    MultiIndex alpha(input_dim_, 0);
    alpha[a] = 2;
    const DerivativeRecipe one = recipe(alpha);
    r.channel[r.terms] = one.channel[0];
    r.weight[r.terms++] = one.weight[0];
  }
  return r;
}

std::string JetSpec::describe() const {
  std::ostringstream s;
  s << "value";
  for (const auto& d : directions_) {
    s << " + ";
    if (d.mixed())
      s << "(x" << d.axis_a << "+x" << d.axis_b << ")";
    else
      s << "x" << d.axis_a;
    s << ":" << d.order;
  }
  if (layout_.has_laplacian()) {
    s << " + lap(";
    for (std::size_t k = 0; k < laplacian_axes_.size(); ++k) s << (k ? "," : "") << "x" << laplacian_axes_[k];
    s << ")";
  }
  return s.str();
}

bool JetSpec::operator==(const JetSpec& o) const {
  if (input_dim_ != o.input_dim_ || channels_ != o.channels_ ||
      directions_.size() != o.directions_.size() ||
      layout_.laplacian_channel != o.layout_.laplacian_channel || laplacian_axes_ != o.laplacian_axes_)
    return false;
  for (std::size_t d = 0; d < directions_.size(); ++d) {
    const auto &a = directions_[d], &b = o.directions_[d];
    if (a.axis_a != b.axis_a || a.axis_b != b.axis_b || a.order != b.order) return false;
  }
  return true;
}

void seed_input_jets(const ExecSpace& exec, const JetSpec& spec, View2<const Real> points,
                     View3<Real> jets) {
  const int n = static_cast<int>(points.extent(0));
  const int d = spec.input_dim();
  const int c = spec.channels();
  PINNKIT_CHECK(static_cast<int>(points.extent(1)) == d, "points must be N x input_dim");
  PINNKIT_CHECK(static_cast<int>(jets.extent(0)) == n && static_cast<int>(jets.extent(1)) == c &&
                    static_cast<int>(jets.extent(2)) == d,
                "input jets must be (N, C, input_dim)");
  // Per channel: the direction's axes when it is an order-1 channel, else none.
  struct Seeds {
    int axis_a[1 + max_jet_directions * max_jet_order];
    int axis_b[1 + max_jet_directions * max_jet_order];
  } seeds;
  for (int ch = 0; ch < c; ++ch) seeds.axis_a[ch] = seeds.axis_b[ch] = -1;
  for (const auto& dir : spec.directions()) {
    seeds.axis_a[dir.first_channel] = dir.axis_a;
    seeds.axis_b[dir.first_channel] = dir.axis_b;
  }
  Kokkos::parallel_for(
      "pinnkit::core::JetSpec::seed_input_jets",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>(exec, {0, 0}, {n, c}),
      KOKKOS_LAMBDA(int p, int ch) {
        for (int i = 0; i < d; ++i) {
          Real v = 0;
          if (ch == 0)
            v = points(p, i);
          else if (seeds.axis_a[ch] == i || seeds.axis_b[ch] == i)
            v = 1;
          jets(p, ch, i) = v;
        }
      });
}

}  // namespace pinnkit
