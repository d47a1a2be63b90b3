#include "solvers/optimizer.hpp"

#include "core/error.hpp"
#include "solvers/adam.hpp"
#include "solvers/scaled_gd.hpp"
#include "solvers/sgd.hpp"

namespace pinnkit::solvers {

std::unique_ptr<FirstOrderOptimizer> make_first_order(const StageSpec& stage,
                                                      const TrainableEntries& entries) {
  if (stage.optimizer == "adam" || stage.optimizer == "adamw") {
    const AdamSettings settings{stage.betas[0], stage.betas[1], stage.eps,
                                stage.optimizer == "adamw" ? stage.weight_decay : 0.0, stage.group_lr};
    return std::make_unique<Adam>(entries, settings);
  }
  if (stage.optimizer == "sgd") return std::make_unique<Sgd>(entries, SgdSettings{stage.momentum, false});
  if (stage.optimizer == "scaled_gd") {
    // Without pairs it would be plain gradient descent under another name.
    PINNKIT_CHECK(!stage.factors.empty(), "make_first_order: a scaled_gd stage without factor pairs");
    return std::make_unique<ScaledGd>(entries, stage.factors, ScaledGdSettings{stage.damping});
  }
  throw InternalError("make_first_order: '" + stage.optimizer + "' is not a first-order optimizer");
}

}  // namespace pinnkit::solvers
