#pragma once
/// \brief Which fine-tuning adapter a run puts on its network: the typed form
/// of the `adapter:` section (docs/transfer.md). Keys other than `type` and
/// `layers` belong to the adapter types that list them in their registry
/// entry (adapter_registry.hpp); the config rejects them under another type.
#include <string>
#include <vector>

namespace pinnkit::adapters {

/// svd_lora's rank budget (total kept components over all adapted layers),
/// AdaLoRA's cubic schedule (solvers/rank_allocation.hpp).
struct RankBudgetSpec {
  int initial = 0;      ///< b0; 0 = every component (R)
  int target = 0;       ///< bT; 0 = no allocation (a fixed-rank SVD adapter)
  int warmup = 0;       ///< t_i: steps at b0 before the first allocation
  int final_steps = 0;  ///< t_f: the last steps keep the bT components chosen at T - t_f
  int every = 10;       ///< Delta: steps between allocations
};

struct AdapterSpec {
  std::string type = "none";  ///< an entry of adapter_registry()
  /// Layer names or glob patterns ('*', '?') the adapter wraps; empty = every
  /// layer the type applies to.
  std::vector<std::string> layers;
  // lora
  int rank = 4;               ///< r; capped per layer at min(in, out)
  double alpha = 0.0;         ///< scale alpha / r of B A; 0 means alpha = r (scale 1)
  std::string init = "standard";  ///< standard (A random, B = 0) | spectral (top-r SVD of -dL/dW)
  // lotra
  std::vector<int> ranks{4, 4, 4};       ///< Tucker ranks [r1, r2, r3]; capped per layer at (n_out, n_in, K)
  std::string lr_scaling = "component";  ///< component (eta / n_in for U_in) | shared (one eta)
  std::string contraction = "auto";      ///< auto | coefficients (expand T) | features (never form T)
  // svd_lora
  std::string selection = "sublora";  ///< an entry of solvers::selection_registry()
  double orthogonality = 0.5;         ///< gamma of gamma (|P^T P - I|^2 + |Q Q^T - I|^2) (PEFT's default)
  std::string hessian = "fd";         ///< fd (central differences of the gradient) | gauss_newton
  RankBudgetSpec budget;
};

}  // namespace pinnkit::adapters
