#pragma once
/// \brief Which Taylor coefficients a jet batch carries, and how to read
/// input derivatives (u_x, u_xx, u_xy, ...) back out of them.
///
/// A jet batch holds, for N points and F features, C = 1 + sum of orders
/// channels in the layout (N, C, F): channel 0 is the value, then for each
/// direction v its Taylor coefficients z_1..z_K (coefficients, not
/// derivatives: D_v^k u = k! z_k), contiguous. Directions are the coordinate
/// axes e_i that some derivative needs (ascending i), followed by e_i + e_j
/// for every mixed second derivative u_{x_i x_j} (ascending (i, j)).
/// See docs/methods.md section 1.
#include <cstdint>
#include <string>
#include <vector>

#include "core/kokkos.hpp"

namespace pinnkit {

/// Highest Taylor order a direction may carry (activation recurrences stop at 4).
inline constexpr int max_jet_order = 4;
/// Most directions a JetSpec may have (fixed so that the layout is a POD that
/// kernels capture by value; 10 axes + all 45 mixed pairs fit).
inline constexpr int max_jet_directions = 64;

/// A derivative request: one non-negative order per input, e.g. {2, 0} = u_xx.
using MultiIndex = std::vector<int>;

/// One direction of a JetSpec: e_axis_a (axis_b < 0) or e_axis_a + e_axis_b.
struct JetDirection {
  int axis_a = 0;
  int axis_b = -1;
  int order = 0;          ///< highest Taylor coefficient carried, 1..max_jet_order
  int first_channel = 0;  ///< channel of z_1; z_k sits at first_channel + k - 1
  bool mixed() const { return axis_b >= 0; }
};

/// The direction table as a POD for kernels: per direction, its first
/// channel and its order. Copy it into a lambda by value.
struct JetLayout {
  int channels = 1;
  int directions = 0;
  int first_channel[max_jet_directions] = {};
  int order[max_jet_directions] = {};
};

/// A derivative as a linear combination of jet channels (at most 3 terms:
/// the polarised mixed derivative). POD: usable inside kernels.
struct DerivativeRecipe {
  static constexpr int max_terms = 3;
  int terms = 0;
  int channel[max_terms] = {};
  Real weight[max_terms] = {};

  /// sum_t weight[t] * value(channel[t]); `value` maps a channel to a Real.
  template <class ChannelValue>
  KOKKOS_INLINE_FUNCTION Real combine(const ChannelValue& value) const {
    Real s = 0;
    for (int t = 0; t < terms; ++t) s += weight[t] * value(channel[t]);
    return s;
  }
};

class JetSpec {
 public:
  /// Value only (C = 1): plain evaluation of a network.
  explicit JetSpec(int input_dim);
  /// Channels for `derivatives` (multi-indices of length input_dim, total
  /// order 0..4; a mixed index only as u_{x_i x_j}, i != j, total order 2).
  /// The value {0,...,0} is always present. Throws InputError naming the
  /// offending multi-index otherwise.
  JetSpec(int input_dim, const std::vector<MultiIndex>& derivatives);

  int input_dim() const { return input_dim_; }
  /// C = 1 + sum of the directions' orders.
  int channels() const { return channels_; }
  int direction_count() const { return static_cast<int>(directions_.size()); }
  const JetDirection& direction(int d) const;
  const std::vector<JetDirection>& directions() const { return directions_; }
  /// Index of direction e_axis (or e_axis + e_axis_b), or -1 when absent.
  int find_direction(int axis, int axis_b = -1) const;
  /// Channel of the k-th Taylor coefficient of direction d (k = 0: channel 0).
  int channel(int d, int k) const;
  /// Highest order over all directions (0 for value only).
  int max_order() const;

  /// Whether the derivative `alpha` can be read from these channels.
  bool provides(const MultiIndex& alpha) const;
  /// D^alpha u as channels and weights (k! for pure derivatives, polarisation
  /// for mixed ones). Throws InputError when `alpha` is not provided.
  DerivativeRecipe recipe(const MultiIndex& alpha) const;
  /// The multi-indices this spec was built from (value first), normalised.
  const std::vector<MultiIndex>& derivatives() const { return derivatives_; }

  /// The POD direction table for kernels.
  const JetLayout& layout() const { return layout_; }

  /// "value + x:2 + y:2 + (x+y):2"-style summary for logs and errors.
  std::string describe() const;

  bool operator==(const JetSpec& o) const;
  bool operator!=(const JetSpec& o) const { return !(*this == o); }

 private:
  void build();
  void validate(const MultiIndex& alpha) const;

  int input_dim_ = 0;
  int channels_ = 1;
  std::vector<MultiIndex> derivatives_;
  std::vector<JetDirection> directions_;
  JetLayout layout_;
};

/// Input jets for points x (N x d, MemSpace): channel 0 = x, the order-1
/// channel of direction v = v, higher coefficients 0. `jets` must be
/// (N, spec.channels(), d); every entry is written.
void seed_input_jets(const ExecSpace& exec, const JetSpec& spec, View2<const Real> points,
                     View3<Real> jets);

}  // namespace pinnkit
