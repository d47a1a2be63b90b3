// Model assembly (make_model), input normalisation, Fourier features, and
// buffer reuse across steps.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/gemm.hpp"
#include "models/dense.hpp"
#include "models/fourier.hpp"
#include "models/input_scaling.hpp"
#include "models/make_model.hpp"

#include "support/gradcheck.hpp"

namespace pinnkit::models {
namespace {

TEST(InputScaling, MapsTheBoxToMinusOneOneAndScalesEveryChannel) {
  PINNKIT_REQUIRE_DOUBLE();
  ParamStore store;
  InputScaling scaling("input_scaling", {-2.0, 0.0}, {2.0, 0.5});
  scaling.register_params(store);
  store.finalize();
  EXPECT_FALSE(scaling.has_params());
  const JetSpec spec(2, {{2, 0}, {1, 1}});
  const int c = spec.channels();
  const std::vector<double> pts{-2.0, 0.0, 2.0, 0.5, 1.0, 0.125};
  View3<Real> in("in", 3, c, 2), out("out", 3, c, 2);
  seed_input_jets(ExecSpace(), spec, testing::points_to_device(pts, 3, 2), in);
  scaling.forward(ExecSpace(), spec, in, out);
  const auto x = testing::to_host(in), y = testing::to_host(out);
  const double scale[2] = {0.5, 4.0}, expected0[3][2] = {{-1, -1}, {1, 1}, {0.5, -0.5}};
  for (int p = 0; p < 3; ++p)
    for (int ch = 0; ch < c; ++ch)
      for (int i = 0; i < 2; ++i) {
        const double e = ch == 0 ? expected0[p][i] : scale[i] * x[(p * c + ch) * 2 + i];
        EXPECT_DOUBLE_EQ(y[(p * c + ch) * 2 + i], e) << p << " " << ch << " " << i;
      }
  EXPECT_TRUE(testing::check_input_adjoint(scaling, spec,
                                           testing::random_values(3 * c * 2, -1, 1, 3), 3, 4));
}

TEST(InputScaling, DegenerateBoxIsAnInputError) {
  EXPECT_THROW(InputScaling("s", {0.0, 1.0}, {1.0, 1.0}), InputError);
  EXPECT_THROW(InputScaling("s", {2.0}, {1.0}), InputError);
}

TEST(FourierFeatures, ValuesAreSinAndCosOfTheFixedProjection) {
  PINNKIT_REQUIRE_DOUBLE();
  ParamStore store;
  FourierFeatures ff("fourier", 2, 3, 1.5);
  ff.register_params(store);
  store.finalize();
  ff.initialize_params(5);
  EXPECT_FALSE(store.block(ff.frequencies_block()).trainable);
  EXPECT_EQ(ff.out_features(), 6);
  const JetSpec spec(2);
  const std::vector<double> pts{0.3, -0.2, 0.7, 0.9};
  View3<Real> in("in", 2, 1, 2), out("out", 2, 1, 6);
  seed_input_jets(ExecSpace(), spec, testing::points_to_device(pts, 2, 2), in);
  ff.forward(ExecSpace(), spec, in, out);
  const auto y = testing::to_host(out);
  const auto B = store.block_to_host(ff.frequencies_block());
  for (int p = 0; p < 2; ++p)
    for (int k = 0; k < 3; ++k) {
      const double phase = 2 * M_PI * (B[k * 2] * pts[p * 2] + B[k * 2 + 1] * pts[p * 2 + 1]);
      EXPECT_NEAR(y[p * 6 + k], std::sin(phase), 1e-13);
      EXPECT_NEAR(y[p * 6 + 3 + k], std::cos(phase), 1e-13);
    }
}

TEST(FourierFeatures, AdjointAndJetsMatchFiniteDifferences) {
  PINNKIT_REQUIRE_DOUBLE();
  ParamStore store;
  FourierFeatures ff("fourier", 2, 2, 0.3);
  ff.register_params(store);
  store.finalize();
  ff.initialize_params(6);
  const JetSpec spec(2, {{4, 0}, {0, 3}, {1, 1}});
  EXPECT_TRUE(testing::check_input_adjoint(
      ff, spec, testing::random_values(2 * spec.channels() * 2, -1, 1, 7), 2, 8));
  EXPECT_TRUE(testing::check_input_derivatives(testing::layer_jet_function(ff), 2, 4,
                                               {{4, 0}, {0, 3}, {1, 1}}, {0.2, -0.1, 0.5, 0.4}));
  EXPECT_THROW(FourierFeatures("f", 2, 0, 1.0), InputError);
  EXPECT_THROW(FourierFeatures("f", 2, 4, -1.0), InputError);
}

TEST(MakeModel, BuildsTheMlpStackAndItsBlocks) {
  ModelSpec spec;
  spec.hidden = {8, 6};
  spec.fourier.count = 4;
  ParamStore store;
  auto model = make_model(spec, 2, 3, {0, 0}, {1, 2}, store, 1);
  std::vector<std::string> names;
  for (int i = 0; i < model->layer_count(); ++i) names.push_back(model->layer(i).name());
  EXPECT_EQ(names, (std::vector<std::string>{"input_scaling", "fourier", "dense0", "act0", "dense1",
                                             "act1", "dense2"}));
  EXPECT_EQ(store.block("dense0.weight").shape, (std::vector<int>{8, 8}));
  EXPECT_EQ(store.block("dense2.weight").shape, (std::vector<int>{3, 6}));
  EXPECT_EQ(store.size(), 4u * 2 + (8 * 8 + 8) + (6 * 8 + 6) + (3 * 6 + 3));
  EXPECT_TRUE(store.finalized());
}

TEST(MakeModel, SameSeedSameNetwork) {
  ModelSpec spec;
  spec.hidden = {5, 5};
  ParamStore a, b, c;
  make_model(spec, 2, 1, {-1, -1}, {1, 1}, a, 42);
  make_model(spec, 2, 1, {-1, -1}, {1, 1}, b, 42);
  make_model(spec, 2, 1, {-1, -1}, {1, 1}, c, 43);
  EXPECT_EQ(a.params_to_host(), b.params_to_host());
  EXPECT_NE(a.params_to_host(), c.params_to_host());
}

TEST(MakeModel, RejectsBadSpecsWithTheirKeys) {
  auto message = [](ModelSpec spec) {
    ParamStore store;
    try {
      make_model(spec, 2, 1, {-1, -1}, {1, 1}, store, 1);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  ModelSpec s;
  s.type = "transformer";
  EXPECT_NE(message(s).find("model.type"), std::string::npos);
  s = ModelSpec();
  s.activation = "relu";
  EXPECT_NE(message(s).find("model.activation"), std::string::npos);
  s = ModelSpec();
  s.init = "he";
  EXPECT_NE(message(s).find("model.init"), std::string::npos);
  s = ModelSpec();
  s.hidden = {4, -2};
  EXPECT_NE(message(s).find("model.hidden[1]"), std::string::npos);
}

TEST(MakeModel, KanTypeBuildsKanLayers) {
  ModelSpec spec;
  spec.type = "kan";
  spec.kan_hidden = {3};
  spec.grid = 4;
  ParamStore store;
  auto model = make_model(spec, 2, 1, {-1, -1}, {1, 1}, store, 1);
  EXPECT_EQ(model->layer(model->layer_count() - 1).name(), "kan1");
  const JetSpec jets(2, {{2, 0}});
  const auto out = model->forward(jets, testing::points_to_device({0.1, 0.2}, 1, 2));
  EXPECT_EQ(out.extent(2), 1u);
  EXPECT_TRUE(std::isfinite(testing::to_host(out)[0]));
}

// d = 2 w (a free function: device lambdas may not live in protected members).
void double_weight(const ExecSpace& exec, const ParamView2& w, const View2<Real>& d) {
  const int cols = static_cast<int>(w.extent(1));
  Kokkos::parallel_for(
      "pinnkit::test::DoubledDense::weight",
      Kokkos::RangePolicy<ExecSpace>(exec, 0, static_cast<int>(w.extent(0)) * cols),
      KOKKOS_LAMBDA(int k) { d(k / cols, k % cols) = 2 * w(k / cols, k % cols); });
}

// The adapter hooks of Dense, as LoRA will use them: the forward pass uses
// W_eff = 2 W, and dL/dW = 2 dL/dW_eff goes to the weight's gradient.
class DoubledDense : public Dense {
 public:
  using Dense::Dense;

 protected:
  ParamView2 effective_weight(const ExecSpace& exec) override {
    if (doubled_.extent(0) == 0) doubled_ = View2<Real>("doubled", out_features(), in_features());
    double_weight(exec, store().params2(weight_block()), doubled_);
    return ParamView2(doubled_.data(), doubled_.extent(0), doubled_.extent(1));
  }
  void accumulate_weight_gradient(const ExecSpace& exec, ConstJets out_adj) override {
    weight_gradient(exec, out_adj, Real(2), Real(1), store().grads2(weight_block()));
  }

 private:
  View2<Real> doubled_;
};

TEST(Model, DenseAdapterHooksCarryForwardAndGradients) {
  PINNKIT_REQUIRE_DOUBLE();
  ModelSpec spec;
  spec.hidden = {4, 3};
  ParamStore store;
  auto model = build_model(spec, 2, 1, {-1, -1}, {1, 1}, store);
  auto replacement = std::make_unique<DoubledDense>("dense1_doubled", 4, 3);
  replacement->register_params(store);  // its own blocks; dense1's stay unused
  const auto old = model->replace_layer(3, std::move(replacement));
  EXPECT_EQ(old->name(), "dense1");
  EXPECT_THROW(model->replace_layer(2, std::make_unique<Dense>("x", 5, 4)), InternalError);
  store.finalize();
  model->initialize_params(3);
  const JetSpec jets(2, {{2, 0}, {1, 1}});
  const std::vector<double> pts{0.1, -0.2, 0.5, 0.3};
  EXPECT_TRUE(
      testing::check_jet_loss_gradient(store, testing::model_differentiable(*model, jets, pts), 2));
  EXPECT_TRUE(testing::check_input_derivatives(testing::model_jet_function(*model), 2, 1,
                                               {{2, 0}, {1, 1}}, pts));
}

TEST(Model, ReusesItsBuffersWhileShapesAreStable) {
  ModelSpec spec;
  spec.hidden = {4};
  ParamStore store;
  auto model = make_model(spec, 2, 1, {-1, -1}, {1, 1}, store, 1);
  const JetSpec jets(2, {{2, 0}, {0, 2}});
  const auto pts = testing::points_to_device({0.1, 0.2, 0.3, 0.4}, 2, 2);
  const Real* first = model->forward(jets, pts).data();
  const auto v1 = testing::to_host(model->forward(jets, pts));
  EXPECT_EQ(model->forward(jets, pts).data(), first);
  EXPECT_EQ(testing::to_host(model->forward(jets, pts)), v1);
  const auto p3 = testing::points_to_device({0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 3, 2);
  EXPECT_EQ(model->forward(jets, p3).extent(0), 3u);
  EXPECT_THROW(model->backward(JetSpec(2, {{1, 0}}), View3<Real>("adj", 3, 3, 1)), InternalError);
}

}  // namespace
}  // namespace pinnkit::models
