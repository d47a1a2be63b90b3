#pragma once
/// \brief Which singular components of SVD-form adapters to keep under a
/// budget (SubLoRA, methods.md 5): the second-order set function F, its
/// submodular projection, the greedy maximiser, and the baseline rules
/// (AdaLoRA's sensitivity score, first order, diagonal second order,
/// magnitude, random) behind one registry.
///
/// All components of all adapted layers are pooled: component i has its
/// singular value s_i, the gradient g_i = dL/ds_i and, for second-order
/// rules, the row H_i. of the R x R Hessian H = d2L/ds2. Host-side Eigen: R
/// is tens to a few hundred.
#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "solvers/saved_state.hpp"

namespace pinnkit::solvers {

/// The second-order model of pruning around s (methods.md 5):
///   f(T) = L(s with s_T = 0) - L(s) ~ -sum_{i in T} s_i g_i + 1/2 sum_{i,j in T} s_i s_j H_ij,
/// and the value of keeping S (|S| <= b) out of all R components:
///   F(S) = f([R]) - f([R] \ S) = sum_{i in S} ((H^ 1)_i - g^_i) - 1/2 1_S^T H^ 1_S,
/// g^ = s o g, H^ = diag(s) H diag(s).
struct PruningModel {
  Eigen::VectorXd g_hat;  ///< s o g
  Eigen::MatrixXd h_hat;  ///< diag(s) H diag(s), symmetric

  /// From s, g and H (symmetrised here). Throws InternalError on mismatched sizes.
  static PruningModel from(const Eigen::VectorXd& s, const Eigen::VectorXd& g, const Eigen::MatrixXd& hessian);
  int size() const { return static_cast<int>(g_hat.size()); }
  /// f(T): the predicted loss change of zeroing the components in T.
  double pruning_change(const std::vector<int>& pruned) const;
  /// F(S): the predicted loss reduction of keeping S rather than pruning everything.
  double keep_value(const std::vector<int>& kept) const;
  /// Whether F is submodular (H^_ij >= 0 for i != j, to `tolerance`).
  bool submodular(double tolerance = 0.0) const;
  /// Whether F is also monotone (g^_e <= H^_ee / 2 for every e): then the
  /// greedy keeps at least (1 - 1/e) of the best value.
  bool monotone() const;
};

/// The Frobenius-nearest symmetric matrix with non-negative off-diagonal
/// entries: off-diagonal entries clipped at 0, the diagonal unchanged. Makes F submodular.
Eigen::MatrixXd project_submodular(const Eigen::MatrixXd& h_hat);

/// Greedy maximisation of F under |S| = budget (budget clipped to [0, R]):
/// starting from S empty, adds the e of largest marginal gain
///   a_e - c_e,  a_e = (H^ 1)_e - g^_e - H^_ee / 2,  c_e = sum_{j in S} H^_ej,
/// ties to the lower index. Exactly `budget` components are kept (a rank
/// budget is spent, as AdaLoRA does), in the order they were chosen.
std::vector<int> greedy_keep(const PruningModel& model, int budget);

/// AdaLoRA's importance (Zhang et al., ICLR 2023, eqs. 8-11): per parameter
/// w, I = |w dL/dw|, smoothed I_bar <- b1 I_bar + (1 - b1) I and uncertainty
/// U_bar <- b2 U_bar + (1 - b2) |I - I_bar| (with the updated I_bar, as PEFT
/// does), s(w) = I_bar U_bar. Triplet i of a layer scores
///   S_i = s(s_i) + 1/d1 sum_k s(P_ki) + 1/d2 sum_j s(Q_ij)
/// (P: d1 x r, Q: r x d2). Components of all layers are pooled in layer order.
class AdaloraScore {
 public:
  /// `ranks`: r of each adapted layer.
  explicit AdaloraScore(std::vector<int> ranks, double beta1 = 0.85, double beta2 = 0.85);
  /// One step's update of layer `layer` from its values and gradients.
  void update(int layer, const Eigen::VectorXd& s, const Eigen::VectorXd& gs, const Eigen::MatrixXd& p,
              const Eigen::MatrixXd& gp, const Eigen::MatrixXd& q, const Eigen::MatrixXd& gq);
  /// The triplet scores of all layers (0 for a layer never updated).
  Eigen::VectorXd scores() const;
  /// Checkpoints: the smoothed sensitivities and uncertainties.
  void save(SavedState& state) const;
  void restore(const SavedState& state);

 private:
  struct Smoothed {
    Eigen::MatrixXd mean, uncertainty;
    /// Updates with the sensitivity |w o dw| and returns mean o uncertainty.
    Eigen::MatrixXd update(const Eigen::MatrixXd& sensitivity, double beta1, double beta2);
  };
  struct Layer {
    Smoothed s, p, q;
    Eigen::VectorXd score;
  };
  std::vector<int> ranks_;
  double beta1_, beta2_;
  std::vector<Layer> layers_;
};

/// What a selection rule may read. Second-order rules need `hessian`.
struct SelectionInput {
  Eigen::VectorXd s;        ///< singular values, R
  Eigen::VectorXd g;        ///< dL/ds, R
  Eigen::MatrixXd hessian;  ///< d2L/ds2, R x R (empty for first-order rules)
  Eigen::VectorXd adalora;  ///< AdaloraScore::scores() (adalora only)
  std::uint64_t seed = 0;   ///< random only
};

/// Returns the indices to keep (exactly min(budget, R) of them).
using SelectionRule = std::function<std::vector<int>(const SelectionInput& in, int budget)>;
struct SelectionCapabilities : BaseCapabilities {
  bool needs_hessian = false;
  bool needs_adalora = false;
};
using SelectionEntry = RegistryEntry<SelectionRule, SelectionCapabilities>;
/// sublora, adalora, first_order, diagonal, magnitude, random.
const Registry<SelectionEntry>& selection_registry();

/// The `budget` indices of largest score, ties to the lower index.
std::vector<int> top_scores(const Eigen::VectorXd& score, int budget);

}  // namespace pinnkit::solvers
