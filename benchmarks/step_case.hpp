#pragma once
/// \brief The training-step cases of docs/performance.md (issue 6): problem,
/// network and point counts of each, the objects of one full step (problem,
/// model, parameter store, objective, Adam), and the gemm FLOPs a step does.
///
/// The PyTorch peers (benchmarks/peers/pinn_step.py) use the same cases,
/// names and point counts: change both together.
#include <memory>
#include <string>
#include <vector>

#include "models/model.hpp"
#include "models/model_spec.hpp"
#include "models/param_store.hpp"
#include "pde/problem.hpp"
#include "solvers/adam.hpp"
#include "solvers/objective.hpp"

namespace pinnkit::benchmarks {

/// One network on one PDE with its default point counts.
struct StepCase {
  std::string name;     ///< e.g. "poisson_mlp_64x4"; also the peer's --case
  std::string problem;  ///< "poisson2d" (catalog) or "burgers1d" (custom spec below)
  models::ModelSpec model;
  int interior = 0, boundary = 0, initial = 0;  ///< points per loss term
};

/// The four cases of issue 6:
///   poisson_mlp_64x4   2-64-64-64-64-1 tanh, 8192 interior + 512 boundary;
///   poisson_mlp_50x3   2-50-50-50-1 tanh, 1200 + 120 (DeepXDE's Poisson example);
///   poisson_kan_32x32  KAN [2, 32, 32, 1], G = 10, cubic, SiLU base, 4096 + 256;
///   burgers_mlp_100x5  2-100x5-1 tanh (PINNacle), 8192 + 512 boundary + 512 initial.
const std::vector<StepCase>& step_cases();
/// The case called `name`; throws InternalError when there is none.
const StepCase& step_case(const std::string& name);

/// The PDE of a case: poisson2d (a = 1) from the catalog; burgers1d as the
/// custom problem u_t + u u_x - nu u_xx = 0, nu = 0.01/pi, x in [-1, 1],
/// t in [0, 1], u(x, 0) = -sin(pi x), u = 0 at x = +-1 (PINNacle Burgers1d-C),
/// as a custom-problem spec: the PDE of the catalog's burgers1d without its
/// reference data, which a step does not need (no PINNKIT_DATA_DIR to find).
std::unique_ptr<pde::Problem> make_step_problem(const StepCase& c);

/// Everything one training step touches, built once (workspaces reused).
class TrainingStep {
 public:
  /// Point counts override the case's defaults; Adam with lr 1e-3.
  /// chunk_points: Objective::set_chunk_points (0: the objective's choice).
  TrainingStep(const StepCase& c, int interior, int boundary, int initial, int chunk_points = 0);
  /// value_and_grad + one Adam update, fenced: a full PINN training step.
  double run();
  /// gemm FLOPs of one step: for every layer with parameters and every loss
  /// term, 2 * rows * (inputs x outputs) for the forward product, the same
  /// for the weight gradient and, except in the first such layer (no input
  /// adjoint is needed there), for the input adjoint. rows = points *
  /// jet channels of the term. A KAN layer's product is the dense form of
  /// models/kan_layer.hpp: inputs = n_in * (G + k + 1) (bases and SiLU).
  double gemm_flops() const { return gemm_flops_; }
  std::size_t parameter_count() const { return store_.size(); }
  /// Training points over all loss terms.
  int point_count() const;

 private:
  std::unique_ptr<pde::Problem> problem_;
  models::ParamStore store_;
  std::unique_ptr<models::Model> model_;
  std::unique_ptr<solvers::Objective> objective_;
  std::unique_ptr<solvers::Adam> adam_;
  double gemm_flops_ = 0;
};

}  // namespace pinnkit::benchmarks
