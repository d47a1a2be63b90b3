#pragma once
/// \brief Adam and AdamW on a flat parameter View (Kingma & Ba 2015;
/// decoupled weight decay of Loshchilov & Hutter 2019), with a learning-rate
/// factor per parameter group (LoRA+, Hayou et al. 2024: eta_B = lambda eta_A).
#include <map>
#include <string>

#include "solvers/optimizer.hpp"

namespace pinnkit::solvers {

struct AdamSettings {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.0;  ///< decoupled (AdamW); 0 = plain Adam
  /// Learning-rate factor per ParamStore group (e.g. {"lora_B": 16}); 1 for the others.
  std::map<std::string, double> group_lr{};
};

class Adam : public FirstOrderOptimizer {
 public:
  /// Moves every entry of vectors of size `n`.
  Adam(int n, const AdamSettings& settings);
  /// Moves (and keeps moments for) `entries` only.
  Adam(const TrainableEntries& entries, const AdamSettings& settings);
  using FirstOrderOptimizer::step;
  void step(const ExecSpace& exec, const View1<Real>& params, const View1<const Real>& grads,
            double lr) override;
  int steps_taken() const { return t_; }
  void save(SavedState& state) const override;
  void restore(const SavedState& state) override;

 private:
  AdamSettings s_;
  TrainableEntries entries_;
  View1<Real> m_, v_;  ///< one entry per movable parameter
  View1<Real> lr_factor_;  ///< per movable parameter, from the groups
  int t_ = 0;
};

}  // namespace pinnkit::solvers
