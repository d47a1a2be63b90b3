#pragma once
/// \brief Helpers of the config tests: catching the InputError of a bad
/// config, and comparing two RunSpecs field by field.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/config.hpp"

namespace pinnkit::io::testing {

/// The message of the InputError that `f` throws; a test failure (and "")
/// when it throws nothing or something else.
inline std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected pinnkit::InputError, got another exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected pinnkit::InputError, got no error";
  return "";
}

/// The error message of parsing `yaml` (named "t.yaml") with `overrides`.
inline std::string config_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  return input_error_of([&] { parse_config(yaml, "t.yaml", overrides); });
}

/// Expects `message` to contain every one of `parts`.
inline void expect_mentions(const std::string& message, const std::vector<std::string>& parts) {
  for (const auto& part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "message: " << message << "\nlacks: " << part;
}

inline std::string data_path(const std::string& name) {
  return std::string(PINNKIT_TEST_DATA_DIR) + "/configs/" + name;
}

/// Every field of two specs equal (doubles exactly: the round trip must not lose bits).
inline void expect_same_spec(const RunSpec& a, const RunSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.init_from, b.init_from);
  EXPECT_EQ(a.problem.pde, b.problem.pde);
  EXPECT_EQ(a.problem.params, b.problem.params);
  EXPECT_EQ(a.problem.inputs, b.problem.inputs);
  EXPECT_EQ(a.problem.domain, b.problem.domain);
  EXPECT_EQ(a.problem.outputs, b.problem.outputs);
  EXPECT_EQ(a.problem.equations, b.problem.equations);
  ASSERT_EQ(a.problem.conditions.size(), b.problem.conditions.size());
  for (std::size_t i = 0; i < a.problem.conditions.size(); ++i) {
    const auto &x = a.problem.conditions[i], &y = b.problem.conditions[i];
    EXPECT_EQ(x.type, y.type) << "condition " << i;
    EXPECT_EQ(x.on, y.on) << "condition " << i;
    EXPECT_EQ(x.value, y.value) << "condition " << i;
    EXPECT_EQ(x.output, y.output) << "condition " << i;
    EXPECT_EQ(x.robin_alpha, y.robin_alpha) << "condition " << i;
    EXPECT_EQ(x.robin_beta, y.robin_beta) << "condition " << i;
  }
  EXPECT_EQ(a.problem.exact, b.problem.exact);
  EXPECT_EQ(a.model.type, b.model.type);
  EXPECT_EQ(a.model.hidden, b.model.hidden);
  EXPECT_EQ(a.model.activation, b.model.activation);
  EXPECT_EQ(a.model.init, b.model.init);
  EXPECT_EQ(a.model.kan_hidden, b.model.kan_hidden);
  EXPECT_EQ(a.model.grid, b.model.grid);
  EXPECT_EQ(a.model.degree, b.model.degree);
  EXPECT_EQ(a.model.grid_range, b.model.grid_range);
  EXPECT_EQ(a.model.base, b.model.base);
  EXPECT_EQ(a.model.normalize_inputs, b.model.normalize_inputs);
  EXPECT_EQ(a.model.fourier.count, b.model.fourier.count);
  EXPECT_EQ(a.model.fourier.scale, b.model.fourier.scale);
  EXPECT_EQ(a.sampling.interior, b.sampling.interior);
  EXPECT_EQ(a.sampling.boundary, b.sampling.boundary);
  EXPECT_EQ(a.sampling.initial, b.sampling.initial);
  EXPECT_EQ(a.sampling.method, b.sampling.method);
  EXPECT_EQ(a.sampling.resample_every, b.sampling.resample_every);
  EXPECT_EQ(a.loss.weights, b.loss.weights);
  ASSERT_EQ(a.training.size(), b.training.size());
  for (std::size_t i = 0; i < a.training.size(); ++i) {
    const auto &x = a.training[i], &y = b.training[i];
    EXPECT_EQ(x.optimizer, y.optimizer) << "stage " << i;
    EXPECT_EQ(x.lr, y.lr) << "stage " << i;
    EXPECT_EQ(x.steps, y.steps) << "stage " << i;
    EXPECT_EQ(x.schedule.type, y.schedule.type) << "stage " << i;
    EXPECT_EQ(x.schedule.decay, y.schedule.decay) << "stage " << i;
    EXPECT_EQ(x.schedule.every, y.schedule.every) << "stage " << i;
    EXPECT_EQ(x.schedule.min_lr, y.schedule.min_lr) << "stage " << i;
    EXPECT_EQ(x.betas, y.betas) << "stage " << i;
    EXPECT_EQ(x.eps, y.eps) << "stage " << i;
    EXPECT_EQ(x.weight_decay, y.weight_decay) << "stage " << i;
    EXPECT_EQ(x.momentum, y.momentum) << "stage " << i;
    EXPECT_EQ(x.history, y.history) << "stage " << i;
    EXPECT_EQ(x.tolerance, y.tolerance) << "stage " << i;
  }
  EXPECT_EQ(a.evaluation.every, b.evaluation.every);
  EXPECT_EQ(a.evaluation.points, b.evaluation.points);
  EXPECT_EQ(a.evaluation.grid, b.evaluation.grid);
  EXPECT_EQ(a.output.file, b.output.file);
  EXPECT_EQ(a.output.xdmf, b.output.xdmf);
}

}  // namespace pinnkit::io::testing
