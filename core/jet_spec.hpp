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
///
/// Forward Laplacian: when a PDE needs the second derivatives along a set of
/// axes S only through their sum (Lap_S u), the directions e_i, i in S, carry
/// z_1 only, and one last channel L carries the sum of their second
/// coefficients, L = sum_{i in S} z_2(e_i) = Lap_S u / 2. An elementwise f
/// maps it as L -> f'(z_0) L + f''(z_0)/2 sum_{i in S} z_1(e_i)^2 and a
/// linear layer as any channel, so the jets are exact with one channel for
/// the whole Laplacian instead of one per axis (5 -> 4 channels in 2-D,
/// 7 -> 5 in 3-D).
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
/// channel and its order, and the forward-Laplacian channel with the
/// directions it sums over. Copy it into a lambda by value.
struct JetLayout {
  int channels = 1;
  int directions = 0;
  int first_channel[max_jet_directions] = {};
  int order[max_jet_directions] = {};
  /// Channel L of the collapsed Laplacian (-1: none), and the z_1 channels
  /// of the directions e_i, i in S, whose second coefficients it sums.
  int laplacian_channel = -1;
  int laplacian_terms = 0;
  int laplacian_first[max_jet_directions] = {};
  KOKKOS_INLINE_FUNCTION bool has_laplacian() const { return laplacian_channel >= 0; }
  /// Whether the direction whose z_1 sits at `first` is one L sums over.
  KOKKOS_INLINE_FUNCTION bool sums_into_laplacian(int first) const {
    for (int t = 0; t < laplacian_terms; ++t)
      if (laplacian_first[t] == first) return true;
    return false;
  }
};

/// A derivative as a linear combination of jet channels (3 terms for the
/// polarised mixed derivative, one per axis for an uncollapsed Laplacian).
/// POD: usable inside kernels.
struct DerivativeRecipe {
  static constexpr int max_terms = 10;
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
  /// As above, plus the Laplacian over `laplacian_axes` (empty: none). It
  /// collapses into one channel (see the top of this file) unless some
  /// derivative also needs a second-order coefficient along one of those
  /// axes (u_xx itself, or a mixed u_xy); then the axes carry order 2 and
  /// the Laplacian is read as the sum of their channels. Throws InputError on
  /// an axis outside [0, input_dim) or a repeated axis.
  JetSpec(int input_dim, const std::vector<MultiIndex>& derivatives,
          const std::vector<int>& laplacian_axes);

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
  /// Highest Taylor order carried (0 for value only; 2 with a collapsed
  /// Laplacian channel, whose update needs f'').
  int max_order() const;

  /// Whether the derivative `alpha` can be read from these channels.
  bool provides(const MultiIndex& alpha) const;
  /// D^alpha u as channels and weights (k! for pure derivatives, polarisation
  /// for mixed ones). Throws InputError when `alpha` is not provided.
  DerivativeRecipe recipe(const MultiIndex& alpha) const;
  /// The sorted Laplacian axes given at construction (empty: none).
  const std::vector<int>& laplacian_axes() const { return laplacian_axes_; }
  /// The collapsed Laplacian channel L, or -1 (none, or not collapsed).
  int laplacian_channel() const { return layout_.laplacian_channel; }
  /// Sum over `axes` of D_i^2 u: 2 L when `axes` are the collapsed ones,
  /// else the sum of the pure second derivatives. Throws InputError when
  /// neither is provided.
  DerivativeRecipe laplacian_recipe(std::vector<int> axes) const;
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
  std::vector<int> laplacian_axes_;
  std::vector<JetDirection> directions_;
  JetLayout layout_;
};

/// Input jets for points x (N x d, MemSpace): channel 0 = x, the order-1
/// channel of direction v = v, higher coefficients (and L) 0. `jets` must be
/// (N, spec.channels(), d); every entry is written.
void seed_input_jets(const ExecSpace& exec, const JetSpec& spec, View2<const Real> points,
                     View3<Real> jets);

}  // namespace pinnkit
