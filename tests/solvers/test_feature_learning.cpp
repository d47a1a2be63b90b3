// Stable feature learning (docs/methods.md 4) on a small width range: the
// problem of benchmarks/feature_learning.cpp (benchmarks/feature_sweep.hpp)
// at widths 32 ... 256. ODELoRA's feature updates after one step at a fixed
// step size must have flat log-log slopes in the muP-scaled network with
// balanced factors on the gradient's top subspaces; the same measurement
// must see the non-flat slopes of LoRA with SGD on fan-in-scaled factors
// (-1 for B, +1 for A) and of LoRA with Adam (+1/2), and ODELoRA's slope
// must follow the readout's scaling (+1/2 with the standard 1/sqrt(n) readout,
// like full fine-tuning's).
//
// Deliberate bugs tried in benchmarks/feature_sweep.cpp (each caught):
// - ODELoRA with Z dropped (OdeLoraSettings::drop_z, ScaledGD's field):
//   OdeLoraTotalUpdateDoesNotDependOnTheFactorization fails (its first-order
//   update is then ScaledGD's, twice ODELoRA's).
// - RMS as ||X||_F / (n N) instead of / sqrt(n N): every slope shifts by
//   -1/2 and four tests fail (the reference, ODELoRA, SGD/Adam, readout).
// - Fan-in factors with the scales swapped (B0 ~ sqrt(r/n), A0 ~ sqrt(n/r)):
//   the SGD slopes come out +0.87 / -1.13 and the SGD/Adam test fails.
#include <gtest/gtest.h>

#include "support/gradcheck.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/feature_sweep.hpp"

namespace pinnkit::bench {

namespace {

const std::vector<double> kWidths{32, 64, 128, 256};

struct Slopes {
  double b, a, total;
  std::vector<FeatureUpdate> rows;
};

FeatureSetup small_setup() {
  FeatureSetup setup;
  setup.inputs = 6;
  setup.batch = 8;
  setup.rank = 2;
  setup.seed = 3;
  return setup;
}

/// The slopes of one case over kWidths (one FeatureProblem per width, shared by the cases).
class Sweep {
 public:
  Sweep() {
    for (double n : kWidths) problems_.emplace(int(n), std::make_unique<FeatureProblem>(int(n), small_setup()));
  }
  Slopes slopes(const FeatureCase& c) {
    Slopes s;
    std::vector<double> b, a, t;
    for (double n : kWidths) {
      s.rows.push_back(problems_.at(int(n))->one_step(c));
      b.push_back(s.rows.back().delta_b), a.push_back(s.rows.back().delta_a), t.push_back(s.rows.back().total);
    }
    s.b = loglog_slope(kWidths, b), s.a = loglog_slope(kWidths, a), s.total = loglog_slope(kWidths, t);
    return s;
  }

 private:
  std::map<int, std::unique_ptr<FeatureProblem>> problems_;
};

Sweep& sweep() {
  static Sweep s;
  return s;
}

FeatureCase mup_aligned(const std::string& method, Factors factors = Factors::balanced, double lr = 0.1) {
  return {Readout::mup, Subspaces::aligned, factors, method, lr};
}

}  // namespace

TEST(FeatureLearning, SlopeFitIsExactOnPowerLaws) {
  EXPECT_NEAR(loglog_slope({32, 64, 128}, {2.0, 2.0, 2.0}), 0.0, 1e-14);
  EXPECT_NEAR(loglog_slope({32, 64, 128}, {32 * 3.0, 64 * 3.0, 128 * 3.0}), 1.0, 1e-12);
  EXPECT_NEAR(loglog_slope({32, 64, 128, 256}, {1 / std::sqrt(32.0), 1 / std::sqrt(64.0), 1 / std::sqrt(128.0),
                                                1 / std::sqrt(256.0)}),
              -0.5, 1e-12);
}

TEST(FeatureLearning, FeaturesAndFullFineTuningAreWidthIndependentInTheMupNetwork) {
  const auto full = sweep().slopes(mup_aligned("full_gd"));
  for (const auto& row : full.rows) {
    EXPECT_GT(row.feature_rms, 0.3) << row.width;
    EXPECT_LT(row.feature_rms, 3.0) << row.width;
    EXPECT_LT(row.loss_after, row.loss_before) << row.width;
  }
  EXPECT_LT(std::abs(full.total), 0.15) << "the reference is not flat: the network is not muP-scaled";
}

TEST(FeatureLearning, OdeLoraFeatureUpdatesAreFlat) {
  for (const char* method : {"odelora_euler", "odelora_rk4"}) {
    const auto s = sweep().slopes(mup_aligned(method));
    EXPECT_LT(std::abs(s.b), 0.15) << method;
    EXPECT_LT(std::abs(s.a), 0.15) << method;
    EXPECT_LT(std::abs(s.total), 0.15) << method;
    for (const auto& row : s.rows) {
      EXPECT_GT(row.delta_b, 0.1 * row.total) << method << " n " << row.width;  // both factors learn features
      EXPECT_GT(row.delta_a, 0.1 * row.total) << method << " n " << row.width;
      EXPECT_LT(row.loss_after, row.loss_before) << method << " n " << row.width;
      // The three parts add up to the total (triangle inequality on RMS values).
      EXPECT_LE(row.total, (row.delta_b + row.delta_a + row.delta_ba) * (1 + 1e-9));
    }
  }
}

TEST(FeatureLearning, OdeLoraTotalUpdateDoesNotDependOnTheFactorization) {
  PINNKIT_REQUIRE_DOUBLE();
  const auto balanced = sweep().slopes(mup_aligned("odelora_euler", Factors::balanced));
  const auto fanin = sweep().slopes(mup_aligned("odelora_euler", Factors::fanin));
  // The first-order part dB A0 + B0 dA = -h P_T(G) depends on B0 A0 only; the
  // cross term dB dA does not (0.4 % of the total here).
  for (std::size_t i = 0; i < kWidths.size(); ++i)
    EXPECT_NEAR(balanced.rows[i].first_order, fanin.rows[i].first_order, 1e-8 * balanced.rows[i].first_order)
        << kWidths[i];
  // ScaledGD's is invariant too, but without Z both halves carry the whole
  // projected update: about twice ODELoRA's on the balanced manifold.
  const auto scaled = sweep().slopes(mup_aligned("scaled_gd"));
  for (std::size_t i = 0; i < kWidths.size(); ++i)
    EXPECT_GT(scaled.rows[i].first_order, 1.5 * balanced.rows[i].first_order) << kWidths[i];
}

TEST(FeatureLearning, TheMeasurementSeesTheNonFlatSlopesOfSgdAndAdam) {
  // Plain gradient steps on muP fan-in factors: dB A0 ~ |A0|^2 ~ r/n, B0 dA ~ |B0|^2 ~ n/r.
  const auto sgd = sweep().slopes(mup_aligned("lora_sgd", Factors::fanin));
  EXPECT_LT(sgd.b, -0.8);
  EXPECT_GT(sgd.a, 0.8);
  // The same SGD on balanced factors of width-independent size is flat: the
  // factor scales, not the optimizer family, decide it.
  const auto sgd_balanced = sweep().slopes(mup_aligned("lora_sgd"));
  EXPECT_LT(std::abs(sgd_balanced.total), 0.15);
  // Adam's first step is a sign step: entries of size lr whatever the width.
  const auto adam = sweep().slopes(mup_aligned("lora_adam", Factors::balanced, 1e-3));
  EXPECT_GT(adam.a, 0.3);
  EXPECT_GT(adam.total, 0.3);
}

TEST(FeatureLearning, OdeLoraInheritsTheReadoutScaling) {
  // With the standard readout 1/sqrt(n), dL/dZ is sqrt(n) larger and so is
  // the full fine-tuning update G H; ODELoRA follows it.
  FeatureCase c{Readout::standard, Subspaces::aligned, Factors::balanced, "full_gd", 0.1};
  const auto full = sweep().slopes(c);
  c.method = "odelora_euler";
  const auto ode = sweep().slopes(c);
  EXPECT_GT(full.total, 0.25);  // +1/2 asymptotically; 0.35 over 32 ... 256
  EXPECT_GT(ode.total, 0.25);
  EXPECT_LT(std::abs(ode.total - full.total), 0.15);
}

}  // namespace pinnkit::bench
