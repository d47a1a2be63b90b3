#pragma once
/// \brief Random Fourier features as a first layer:
///   x -> [sin(2 pi B x), cos(2 pi B x)],  B (count x in) ~ N(0, scale^2), fixed.
/// On jets it is a bias-free dense map followed by the sin and cos jet
/// recurrences (activation_jets.hpp). B is stored in the ParamStore as
/// "<name>.frequencies" (not trainable, group "frozen") so checkpoints keep it.
#include <string>

#include "models/layer.hpp"

namespace pinnkit::models {

class FourierFeatures : public Layer {
 public:
  /// Output width 2 * count. Throws InputError unless count >= 1 and scale > 0.
  FourierFeatures(std::string name, int in_features, int count, double scale);
  int count() const { return count_; }
  std::string frequencies_block() const { return block_name("frequencies"); }

 protected:
  void do_register_params(ParamStore& store) override;
  void do_initialize_params(std::uint64_t seed) override;
  void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                   Jets in_adj) override;

 private:
  int count_;
  double scale_;
  Jets phase_;      ///< 2 pi B x on every channel, (N, C, count)
  Jets phase_adj_;  ///< its adjoint
};

}  // namespace pinnkit::models
