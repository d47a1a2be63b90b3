// Merging a LoRA adapter into its base weights: the same output jets to
// rounding, a round trip back to the same factors and base, and the
// adapter's state for /adapter.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

#include "support/lora_fixtures.hpp"
#include "support/precision.hpp"

namespace pinnkit::adapters {
namespace {

using testing_support::LoraNet;

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

double max_abs(const std::vector<double>& a) {
  double m = 0;
  for (double x : a) m = std::max(m, std::abs(x));
  return m;
}

const std::vector<double> points{0.1, 0.2, -0.4, 0.9, 0.7, -0.3, -0.9, 1.4};

TEST(LoraMerge, MergedAndUnmergedGiveTheSameOutputJets) {
  LoraNet net({8, 8}, 3);
  net.randomize_factors(50);
  const JetSpec spec(2, {{2, 0}, {1, 1}, {0, 4}});
  const auto view = testing::points_to_device(points, 4, 2);
  const auto before = testing::to_host(net.model->forward(spec, view));
  const auto params_before = net.store.params_to_host();
  net.adapters.merge(ExecSpace());
  const auto merged = testing::to_host(net.model->forward(spec, view));
  // The adapter is not a no-op (else the test proves nothing) ...
  const std::vector<double> base_only = net.store.params_to_host();
  for (const auto& name : net.adapters.owned_blocks())
    EXPECT_GT(max_abs(net.store.block_to_host(name)), 0.1) << name;
  // ... and the merge moved the base weights.
  EXPECT_GT(max_abs_diff(params_before, base_only), 1e-3);
  EXPECT_LT(max_abs_diff(before, merged), testing::tol(1e-12) * (1 + max_abs(before)));
  net.adapters.unmerge(ExecSpace());
  EXPECT_LT(max_abs_diff(params_before, net.store.params_to_host()), testing::tol(1e-13));
  EXPECT_LT(max_abs_diff(before, testing::to_host(net.model->forward(spec, view))), testing::tol(1e-12) * (1 + max_abs(before)));
}

TEST(LoraMerge, StandardInitLeavesTheBaseNetworkUnchanged) {
  LoraNet with({6, 6}, 2);
  models::ParamStore store;
  models::ModelSpec spec;
  spec.hidden = {6, 6};
  auto plain = models::make_model(spec, 2, 1, {-1.0, -0.5}, {1.0, 1.5}, store, 11);
  const JetSpec js(2, {{2, 0}, {0, 2}});
  const auto view = testing::points_to_device(points, 4, 2);
  EXPECT_EQ(testing::to_host(plain->forward(js, view)), testing::to_host(with.model->forward(js, view)));
}

TEST(LoraMerge, StateHoldsRanksAndFactors) {
  LoraNet net({6, 6}, 4, "standard", {"dense1", "dense2"});
  const AdapterState st = net.adapters.state();
  EXPECT_EQ(st.attrs.at("type"), "lora");
  EXPECT_EQ(st.attrs.at("layers"), "dense1,dense2");
  EXPECT_EQ(st.attrs.at("dense1.rank"), "4");
  EXPECT_EQ(st.attrs.at("dense2.rank"), "1");  // capped at min(6, 1)
  EXPECT_EQ(st.arrays.at("dense1.lora_A").shape, (std::vector<int>{4, 6}));
  EXPECT_EQ(st.arrays.at("dense2.lora_B").shape, (std::vector<int>{1, 1}));
  EXPECT_EQ(st.arrays.count("dense0.lora_A"), 0u);
}

TEST(LoraMerge, TrainingThroughAMergedAdapterIsRefused) {
  LoraNet net({4}, 2);
  net.adapters.merge(ExecSpace());
  const JetSpec spec(2);
  auto d = testing::model_differentiable(*net.model, spec, points);
  const auto y = d.forward();
  EXPECT_THROW(d.backward(std::vector<double>(y.size(), 1.0)), InternalError);
}

}  // namespace
}  // namespace pinnkit::adapters
