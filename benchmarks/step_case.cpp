#include "benchmarks/step_case.hpp"

#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/jet_spec.hpp"
#include "models/make_model.hpp"
#include "solvers/optimizer_entries.hpp"

namespace pinnkit::benchmarks {

namespace {

models::ModelSpec mlp(std::vector<int> hidden) {
  models::ModelSpec m;
  m.type = "mlp";
  m.hidden = std::move(hidden);
  m.activation = "tanh";
  return m;
}

models::ModelSpec kan(std::vector<int> hidden, int grid, int degree) {
  models::ModelSpec m;
  m.type = "kan";
  m.kan_hidden = std::move(hidden);
  m.grid = grid;
  m.degree = degree;
  m.base = true;
  return m;
}

pde::ProblemSpec burgers1d_spec() {
  pde::ProblemSpec s;
  s.pde = "custom";
  s.inputs = {"x", "t"};
  s.domain = {{"x", {-1.0, 1.0}}, {"t", {0.0, 1.0}}};
  s.params = {{"nu", 0.01 / M_PI}};
  s.equations = {"u_t + u*u_x - nu*u_xx"};
  pde::ConditionSpec initial, walls;
  initial.type = "initial";
  initial.value = "-sin(pi*x)";
  walls.type = "dirichlet";
  walls.on = {"x_min", "x_max"};
  walls.value = "0";
  s.conditions = {initial, walls};
  return s;
}

/// (inputs, outputs) of the gemm of every layer with parameters, in order.
std::vector<std::pair<double, double>> gemm_shapes(const models::ModelSpec& m, int in_dim,
                                                   int out_dim) {
  PINNKIT_CHECK(m.fourier.count == 0, "gemm_flops: Fourier features are not counted");
  const bool is_kan = m.type == "kan";
  std::vector<int> widths{in_dim};
  for (int w : is_kan ? m.kan_hidden : m.hidden) widths.push_back(w);
  widths.push_back(out_dim);
  const int features = is_kan ? m.grid + m.degree + (m.base ? 1 : 0) : 1;
  std::vector<std::pair<double, double>> shapes;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l)
    shapes.emplace_back(double(widths[l]) * features, double(widths[l + 1]));
  return shapes;
}

/// Jet channels of every loss term name (JetSpec of the term's reads, as the
/// objective builds it).
std::map<std::string, int> channels_by_term(const pde::Problem& problem) {
  std::map<std::string, int> channels;
  for (const auto& term : problem.terms()) {
    const int c = pde::jet_spec_for(problem.input_dim(), term.residual->reads()).channels();
    const auto it = channels.find(term.name);
    PINNKIT_CHECK(it == channels.end() || it->second == c,
                  "gemm_flops: terms named '" + term.name + "' differ in jet channels");
    channels[term.name] = c;
  }
  return channels;
}

}  // namespace

const std::vector<StepCase>& step_cases() {
  static const std::vector<StepCase> cases{
      {"poisson_mlp_64x4", "poisson2d", mlp({64, 64, 64, 64}), 8192, 512, 0},
      {"poisson_mlp_50x3", "poisson2d", mlp({50, 50, 50}), 1200, 120, 0},
      {"poisson_kan_32x32", "poisson2d", kan({32, 32}, 10, 3), 4096, 256, 0},
      {"burgers_mlp_100x5", "burgers1d", mlp({100, 100, 100, 100, 100}), 8192, 512, 512},
  };
  return cases;
}

const StepCase& step_case(const std::string& name) {
  for (const auto& c : step_cases())
    if (c.name == name) return c;
  throw InternalError("no training-step case named '" + name + "'");
}

std::unique_ptr<pde::Problem> make_step_problem(const StepCase& c) {
  if (c.problem == "burgers1d") return pde::make_problem(burgers1d_spec(), "bench_step");
  pde::ProblemSpec spec;
  spec.pde = c.problem;
  spec.params = {{"a", 1.0}};
  return pde::make_problem(spec, "bench_step");
}

TrainingStep::TrainingStep(const StepCase& c, int interior, int boundary, int initial, int chunk_points)
    : problem_(make_step_problem(c)) {
  const auto& domain = problem_->domain();
  model_ = models::make_model(c.model, problem_->input_dim(), problem_->output_dim(),
                              domain.lower(), domain.upper(), store_, 1);
  solvers::SamplingSpec sampling;
  sampling.interior = interior;
  sampling.boundary = boundary;
  sampling.initial = initial;
  sampling.method = "sobol";
  solvers::LossSpec loss;  // every weight 1: weights do not change the cost
  objective_ = std::make_unique<solvers::Objective>(*problem_, *model_, store_, sampling, loss, 1);
  objective_->set_chunk_points(chunk_points);
  adam_ = std::make_unique<solvers::Adam>(solvers::TrainableEntries(store_), solvers::AdamSettings{});

  const auto shapes = gemm_shapes(c.model, problem_->input_dim(), problem_->output_dim());
  const auto channels = channels_by_term(*problem_);
  for (const auto& [name, points] : objective_->point_counts()) {
    const double rows = double(points) * channels.at(name);
    for (std::size_t l = 0; l < shapes.size(); ++l)
      gemm_flops_ += 2 * rows * shapes[l].first * shapes[l].second * (l == 0 ? 2 : 3);
  }
}

double TrainingStep::run() {
  const ExecSpace exec;
  const double loss = objective_->value_and_grad(exec).total;
  adam_->step(exec, store_.params(), store_.grads(), 1e-3);
  exec.fence();
  return loss;
}

int TrainingStep::point_count() const {
  int n = 0;
  for (const auto& [name, points] : objective_->point_counts()) n += points;
  return n;
}

}  // namespace pinnkit::benchmarks
