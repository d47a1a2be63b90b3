#pragma once
/// \brief A small 2-D Poisson PINN (problem, model, store) for solver tests,
/// and the evaluation settings such tests share.
#include <memory>
#include <string>
#include <vector>

#include "models/make_model.hpp"
#include "pde/poisson.hpp"
#include "solvers/trainer.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::testing {

struct SmallPinn {
  explicit SmallPinn(const std::string& type = "mlp", std::vector<int> hidden = {6, 6})
      : problem(2, 1.0) {
    models::ModelSpec spec;
    spec.type = type;
    spec.hidden = hidden;
    spec.kan_hidden = {3};
    spec.grid = 4;
    // The gradient of u_xx through a second KAN layer needs the third spline
    // derivative of the hidden values: continuous only from degree 4 on, so
    // finite differences of a cubic network fail where a stencil crosses a knot.
    spec.degree = 5;
    const auto& box = problem.domain();
    model = models::make_model(spec, 2, 1, box.lower(), box.upper(), store, 5);
    sampling.interior = 16;
    sampling.boundary = 8;
    loss.weights = {{"pde", 1.0}, {"boundary", 10.0}};
  }
  pde::Poisson problem;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  solvers::SamplingSpec sampling;
  solvers::LossSpec loss;
};

/// Trainer options without progress output.
inline solvers::TrainerOptions quiet_options() {
  solvers::TrainerOptions options;
  options.quiet = true;
  return options;
}

/// Evaluation on a per_axis^d grid at the end of training only.
inline solvers::EvaluationSpec grid_at_end(int per_axis) {
  solvers::EvaluationSpec e;
  e.every = 0;
  e.points = "grid";
  e.grid = {per_axis, per_axis};
  return e;
}

}  // namespace pinnkit::testing
