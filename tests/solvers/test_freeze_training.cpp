// Frozen blocks through a whole training run: bitwise unchanged, while the
// trainable ones move and the loss falls; a LoRA network trains only its factors.
#include <gtest/gtest.h>

#include "adapters/adapter_set.hpp"
#include "adapters/freeze.hpp"
#include "solvers/trainer.hpp"

#include "support/solver_fixture.hpp"

namespace pinnkit::solvers {
namespace {

TrainResult train(testing::SmallPinn& pinn, models::Model& model, models::ParamStore& store, int steps) {
  Objective objective(pinn.problem, model, store, pinn.sampling, pinn.loss, 2);
  const Evaluator evaluator(pinn.problem, testing::grid_at_end(5));
  StageSpec stage;
  stage.lr = 5e-3;
  stage.steps = steps;
  Trainer trainer(model, store, objective, evaluator, {stage}, pinn.sampling, testing::grid_at_end(5),
                  testing::quiet_options());
  return trainer.run(ExecSpace());
}

TEST(Freeze, FrozenBlocksAreUnchangedAfterTraining) {
  testing::SmallPinn pinn("mlp", {8, 8});
  const auto frozen = adapters::freeze_blocks(pinn.store, {"dense0", "dense2.bias"}, "test");
  ASSERT_EQ(frozen.size(), 3u);
  const auto before = pinn.store.params_to_host();
  const auto result = train(pinn, *pinn.model, pinn.store, 50);
  EXPECT_EQ(result.outcome, Outcome::completed);
  const auto after = pinn.store.params_to_host();
  for (const auto& b : pinn.store.blocks()) {
    double moved = 0;
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i) moved = std::max(moved, std::abs(after[i] - before[i]));
    if (b.trainable)
      EXPECT_GT(moved, 1e-4) << b.name;
    else
      EXPECT_EQ(moved, 0.0) << b.name;
  }
}

TEST(Freeze, LoraTrainsOnlyItsFactorsAndLowersTheLoss) {
  testing::SmallPinn pinn("mlp", {8, 8});
  models::ParamStore store;
  models::ModelSpec spec;
  spec.hidden = {8, 8};
  const auto& box = pinn.problem.domain();
  auto model = models::build_model(spec, 2, 1, box.lower(), box.upper(), store);
  adapters::AdapterSpec a;
  a.type = "lora";
  a.rank = 2;
  auto set = adapters::attach_adapters(*model, store, a);
  store.finalize();
  model->initialize_params(5);
  EXPECT_EQ(store.trainable_size(), std::size_t(2 * (2 + 8) + 2 * (8 + 8) + 1 * (8 + 1)));
  const auto before = store.params_to_host();
  const auto result = train(pinn, *model, store, 60);
  EXPECT_LT(result.history.at("loss").back(), result.history.at("loss").front());
  const auto after = store.params_to_host();
  for (const auto& b : store.blocks()) {
    bool same = true;
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i) same = same && after[i] == before[i];
    EXPECT_EQ(same, !b.trainable) << b.name;
    EXPECT_EQ(b.trainable, set.owns(b.name)) << b.name;
  }
}

}  // namespace
}  // namespace pinnkit::solvers
