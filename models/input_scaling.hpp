#pragma once
/// \brief First layer that maps the domain box [lower, upper] onto [-1, 1]
/// per input: y = s (x - lower) - 1, s = 2 / (upper - lower). On jets the
/// scale multiplies every channel and the shift enters channel 0 only. No
/// parameters.
#include <vector>

#include "models/layer.hpp"

namespace pinnkit::models {

class InputScaling : public Layer {
 public:
  /// Throws InputError unless lower[i] < upper[i] for every input (`key` names the box).
  InputScaling(std::string name, const std::vector<double>& lower,
               const std::vector<double>& upper, const std::string& key = "problem.domain");

 protected:
  void do_forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) override;
  void do_backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                   Jets in_adj) override;

 private:
  View1<Real> scale_;  ///< 2 / (upper - lower)
  View1<Real> shift_;  ///< -(upper + lower) / (upper - lower)
};

}  // namespace pinnkit::models
