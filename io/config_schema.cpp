// The sections of a run config other than `problem:` (config_schema_problem.cpp).
#include "io/config_schema.hpp"

#include "adapters/adapter_registry.hpp"
#include "adapters/lora_dense.hpp"
#include "adapters/lotra_kan.hpp"
#include "io/config_run_checks.hpp"
#include "models/registries.hpp"
#include "solvers/odelora.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/rank_allocation.hpp"
#include "solvers/rank_selection.hpp"
#include "solvers/schedule.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::io::config {

namespace {

using models::FourierSpec;
using models::HardConstraintSpec;
using models::ModelSpec;
using solvers::EvaluationSpec;
using solvers::LossSpec;
using solvers::RefineSpec;
using solvers::SamplingSpec;
using solvers::ScheduleSpec;
using solvers::StageSpec;

// Keys that belong to some entries of a registry (their capabilities' keys).
Field<ModelSpec> model_key(Field<ModelSpec> f) {
  return owned_by(std::move(f), models::model_registry, &ModelSpec::type, "model.type");
}
Field<adapters::AdapterSpec> adapter_key(Field<adapters::AdapterSpec> f) {
  return owned_by(std::move(f), adapters::adapter_registry, &adapters::AdapterSpec::type, "adapter.type");
}
Field<StageSpec> stage_key(Field<StageSpec> f) {
  return owned_by(std::move(f), solvers::optimizer_registry, &StageSpec::optimizer, "optimizer");
}
Field<ScheduleSpec> schedule_key(Field<ScheduleSpec> f) {
  return owned_by(std::move(f), solvers::schedule_registry, &ScheduleSpec::type, "schedule type");
}

const Table<FourierSpec>& fourier_table() {
  static const Table<FourierSpec> table{{
      leaf("count", &FourierSpec::count, non_negative_int(), "number of random frequencies; 0 = no Fourier layer"),
      leaf("scale", &FourierSpec::scale, positive_real(), "standard deviation of the frequencies"),
  }};
  return table;
}

const Table<HardConstraintSpec>& hard_constraint_table() {
  static const Table<HardConstraintSpec> table{
      {
          leaf("output", &HardConstraintSpec::output, TextCodec{"an output name", true},
               "the output it constrains; empty = the output at the entry's position",
               "`\"\"` (the entry's position)"),
          leaf("value", &HardConstraintSpec::value, TextCodec{"an expression"},
               "g: the prescribed value, over the problem's inputs and params"),
          leaf("distance", &HardConstraintSpec::distance, TextCodec{"an expression"},
               "d: zero where the value is prescribed; the output becomes value + distance * network",
               "required"),
      },
      [](const Source& src, const YAML::Node& node, const std::string& path, HardConstraintSpec& out) {
        if (out.distance.empty())
          src.fail(node, child_path(path, "distance"),
                   "expected an expression that vanishes where the value is prescribed, got nothing");
      }};
  return table;
}

const Table<ModelSpec>& model_table() {
  static const Table<ModelSpec> table{{
      leaf("type", &ModelSpec::type, registry(models::model_registry), "network family"),
      model_key(leaf("hidden", &ModelSpec::hidden, ListCodec<IntCodec>{positive_int(), 1}, "mlp: hidden layer widths")),
      model_key(leaf("activation", &ModelSpec::activation, registry(models::activation_registry),
                     "mlp: activation function")),
      model_key(leaf("init", &ModelSpec::init, registry(models::initializer_registry), "mlp: weight initialisation")),
      model_key(leaf("kan_hidden", &ModelSpec::kan_hidden, ListCodec<IntCodec>{positive_int(), 0},
                     "kan, slim_kan: hidden widths between the problem's input and output sizes")),
      model_key(leaf("grid", &ModelSpec::grid, positive_int(), "kan, slim_kan: grid intervals G")),
      model_key(leaf("degree", &ModelSpec::degree, IntCodec{1, 5}, "kan, slim_kan: spline degree k")),
      model_key(leaf("grid_range", &ModelSpec::grid_range, PairCodec{any_real(), true},
                     "kan, slim_kan: grid span on normalised inputs")),
      model_key(leaf("base", &ModelSpec::base, BoolCodec{}, "kan, slim_kan: add the SiLU base branch")),
      model_key(leaf("ranks", &ModelSpec::ranks, ListCodec<IntCodec>{positive_int(), 1},
                     "slim_kan: Tucker ranks [r1, r2, r3] of every layer (capped per layer at n_out, n_in, K)")),
      leaf("normalize_inputs", &ModelSpec::normalize_inputs, BoolCodec{}, "map the domain box to [-1, 1]"),
      section("fourier", &ModelSpec::fourier, fourier_table, "random Fourier features as a first layer"),
      section_list("hard_constraint", &ModelSpec::hard_constraints, hard_constraint_table,
                   "hard constraints u = value + distance * network (an output transform); one map or one per output",
                   0, true),
  }};
  return table;
}

const Table<RefineSpec>& refine_table() {
  static const Table<RefineSpec> table{{
      leaf("every", &RefineSpec::every, non_negative_int(),
           "adam/adamw/sgd steps between refinements; 0 = no refinement"),
      leaf("candidates", &RefineSpec::candidates, positive_int(), "fresh interior points scored per refinement"),
      leaf("add", &RefineSpec::add, positive_int(), "candidates of largest squared PDE residual kept per refinement"),
      leaf("max_points", &RefineSpec::max_points, positive_int(),
           "refinement stops once the interior set holds this many points"),
  }};
  return table;
}

const Table<adapters::RankBudgetSpec>& rank_budget_table() {
  using adapters::RankBudgetSpec;
  static const Table<RankBudgetSpec> table{
      {
          leaf("initial", &RankBudgetSpec::initial, non_negative_int(),
               "b0: components kept (over all adapted layers) until the schedule starts; 0 = all of them"),
          leaf("target", &RankBudgetSpec::target, non_negative_int(),
               "bT: components kept at the end; 0 = no allocation (a fixed-rank SVD adapter)"),
          leaf("warmup", &RankBudgetSpec::warmup, non_negative_int(), "t_i: steps at b0 before the first allocation"),
          leaf("final_steps", &RankBudgetSpec::final_steps, non_negative_int(),
               "t_f: last steps, trained with the bT components chosen at step T - t_f"),
          leaf("every", &RankBudgetSpec::every, positive_int(), "Delta: steps between allocations"),
      },
      [](const Source& src, const YAML::Node& node, const std::string& path, RankBudgetSpec& out) {
        if (out.initial > 0 && out.target > out.initial)
          src.fail(node, child_path(path, "target"),
                   "expected at most initial (" + std::to_string(out.initial) + "), got " + std::to_string(out.target));
      }};
  return table;
}

const Table<adapters::AdapterSpec>& adapter_table() {
  using adapters::AdapterSpec;
  static const Table<AdapterSpec> table{{
      leaf("type", &AdapterSpec::type, registry(adapters::adapter_registry), "fine-tuning adapter type"),
      adapter_key(leaf("layers", &AdapterSpec::layers, ListCodec<TextCodec>{TextCodec{"a layer name"}, 0},
                       "layer names or glob patterns to adapt; empty = every layer the type applies to")),
      adapter_key(leaf("rank", &AdapterSpec::rank, positive_int(), "lora, lora_kan, svd_lora: rank r (capped per layer at min(in, out), min(n_out, n_in K))")),
      adapter_key(leaf("alpha", &AdapterSpec::alpha, non_negative_real(),
                       "lora, lora_kan: B A is scaled by alpha / r; 0 means alpha = r")),
      adapter_key(leaf("init", &AdapterSpec::init, registry(adapters::lora_inits),
                       "lora, lora_kan: standard (B = 0), spectral (top-r SVD of the first gradient, base shifted) or "
                       "balanced_random (B = 0.1 U, A = 0.1 V^T orthonormal, base shifted; for odelora)")),
      adapter_key(leaf("ranks", &AdapterSpec::ranks, ListCodec<IntCodec>{positive_int(), 1},
                       "lotra: Tucker ranks [r1, r2, r3] (capped per layer at n_out, n_in, K)")),
      adapter_key(leaf("lr_scaling", &AdapterSpec::lr_scaling, registry(adapters::lotra_lr_scalings),
                       "lotra: component (eta / n_in for U_in, eta for G, U_out, U_bas) or shared (one eta)")),
      adapter_key(leaf("contraction", &AdapterSpec::contraction, registry(adapters::lotra_contractions),
                       "lotra: how a step evaluates the update: coefficients (expand T per pass), features "
                       "(feature-level contraction, never forms T) or auto (cheaper by a cost model)")),
      adapter_key(leaf("selection", &AdapterSpec::selection, registry(solvers::selection_registry),
                       "svd_lora: the rule that decides which components stay at each allocation")),
      adapter_key(leaf("orthogonality", &AdapterSpec::orthogonality, non_negative_real(),
                       "svd_lora: gamma of the regulariser gamma (norm(P^T P - I)^2 + norm(Q Q^T - I)^2), Frobenius norms")),
      adapter_key(leaf("hessian", &AdapterSpec::hessian, registry(solvers::hessian_methods),
                       "svd_lora, second-order rules: fd (central differences of the gradient, 2R gradients) or "
                       "gauss_newton (2 J^T J, J by central differences of the residuals)")),
      adapter_key(section("budget", &AdapterSpec::budget, rank_budget_table,
                          "svd_lora: AdaLoRA's cubic budget schedule of kept components")),
  }};
  return table;
}

// A map from parameter group names (free: adapters add groups) to learning-rate factors.
Field<StageSpec> group_lr_field() {
  const RealCodec factor = positive_real();
  Field<StageSpec> f;
  f.key = "group_lr";
  f.read = [factor](const Source& src, const YAML::Node& v, const std::string& path, StageSpec& out) {
    if (v.IsNull()) return;
    if (!v.IsMap()) src.fail(v, path, "expected a map from parameter group to learning-rate factor");
    out.group_lr.clear();
    for (auto it = v.begin(); it != v.end(); ++it)
      out.group_lr[it->first.Scalar()] = factor.read(src, it->second, child_path(path, it->first.Scalar()));
  };
  f.write = [factor](const StageSpec& s) {
    YAML::Node n(YAML::NodeType::Map);
    for (const auto& [group, value] : s.group_lr) n[group] = factor.write(value);
    return n;
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map", "`{}`",
                    "adam, adamw: learning-rate factor per parameter group (default, lora_A, lora_B, lotra_core, ...); LoRA+: {lora_B: 16}"});
  };
  return f;
}

const Table<SamplingSpec>& sampling_table() {
  static const Table<SamplingSpec> table{{
      leaf("interior", &SamplingSpec::interior, positive_int(), "collocation points inside the domain"),
      leaf("boundary", &SamplingSpec::boundary, non_negative_int(), "points on the boundary"),
      leaf("initial", &SamplingSpec::initial, non_negative_int(), "points at the initial time"),
      leaf("method", &SamplingSpec::method, registry(solvers::sampler_registry), "how points are drawn"),
      leaf("resample_every", &SamplingSpec::resample_every, non_negative_int(),
           "steps between fresh point sets; 0 = never"),
      section("refine", &SamplingSpec::refine, refine_table,
              "residual-based adaptive refinement: added points stay through resampling"),
  }};
  return table;
}

// loss.weights: one optional key per loss term; absent terms keep their default.
Field<LossSpec> weights_field() {
  const RealCodec weight = non_negative_real();
  Field<LossSpec> f;
  f.key = "weights";
  f.read = [weight](const Source& src, const YAML::Node& v, const std::string& path, LossSpec& out) {
    if (v.IsNull()) return;
    check_map_keys(src, v, path, solvers::loss_terms());
    for (auto it = v.begin(); it != v.end(); ++it)
      out.weights[it->first.Scalar()] = weight.read(src, it->second, child_path(path, it->first.Scalar()));
  };
  f.write = [weight](const LossSpec& s) {
    YAML::Node n(YAML::NodeType::Map);
    for (const auto& term : solvers::loss_terms())
      if (s.weights.count(term)) n[term] = weight.write(s.weights.at(term));
    return n;
  };
  f.document = [weight](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map", "", "weight of each loss term"});
    const LossSpec defaults;
    for (const auto& term : solvers::loss_terms()) {
      const auto d = defaults.weights.find(term);
      rows.push_back({child_path(path, term), without_article(weight.expectation()),
                      d == defaults.weights.end() ? "" : "`" + format_real(d->second) + "`",
                      "weight of the " + term + " term"});
    }
  };
  return f;
}

const Table<LossSpec>& loss_table() {
  static const Table<LossSpec> table{{weights_field()}};
  return table;
}

const Table<ScheduleSpec>& schedule_table() {
  static const Table<ScheduleSpec> table{{
      leaf("type", &ScheduleSpec::type, registry(solvers::schedule_registry), "learning-rate schedule"),
      schedule_key(leaf("decay", &ScheduleSpec::decay, unit_interval_real(true, false),
                        "exponential/step: factor per `every` steps")),
      schedule_key(leaf("every", &ScheduleSpec::every, positive_int(), "exponential/step: steps per decay")),
      schedule_key(leaf("min_lr", &ScheduleSpec::min_lr, non_negative_real(), "cosine: floor of the learning rate")),
  }};
  return table;
}

const Table<StageSpec>& stage_table() {
  static const Table<StageSpec> table{{
      leaf("optimizer", &StageSpec::optimizer, registry(solvers::optimizer_registry), "optimisation method"),
      leaf("lr", &StageSpec::lr, positive_real(), "learning rate (initial step for lbfgs)"),
      leaf("steps", &StageSpec::steps, positive_int(), "iterations of this stage"),
      stage_key(section("schedule", &StageSpec::schedule, schedule_table,
                        "learning-rate schedule of this stage (not lbfgs)")),
      stage_key(leaf("betas", &StageSpec::betas, PairCodec{unit_interval_real(false, true)},
                     "adam, adamw: moment decay rates")),
      stage_key(leaf("eps", &StageSpec::eps, positive_real(), "adam, adamw: denominator guard")),
      stage_key(leaf("weight_decay", &StageSpec::weight_decay, non_negative_real(), "adamw: decoupled weight decay")),
      stage_key(leaf("momentum", &StageSpec::momentum, unit_interval_real(false, true), "sgd: momentum")),
      stage_key(leaf("history", &StageSpec::history, positive_int(), "lbfgs: stored curvature pairs")),
      stage_key(leaf("tolerance", &StageSpec::tolerance, positive_real(),
                     "lbfgs: stop when the gradient norm falls below")),
      stage_key(group_lr_field()),
      stage_key(leaf("damping", &StageSpec::damping, positive_real(),
                     "scaled_gd, odelora: delta added to the r x r Gram matrices of each LoRA pair")),
      stage_key(leaf("integrator", &StageSpec::integrator, registry(solvers::odelora_integrators),
                     "odelora: euler (1 gradient per step), heun (2) or rk4 (4)")),
      stage_key(leaf("rebalance", &StageSpec::rebalance, BoolCodec{},
                     "odelora: retract onto B^T B = A A^T after every step (B A unchanged)")),
  }};
  return table;
}

const Table<EvaluationSpec>& evaluation_table() {
  static const Table<EvaluationSpec> table{{
      leaf("every", &EvaluationSpec::every, non_negative_int(), "steps between evaluations; 0 = only at the end"),
      leaf("points", &EvaluationSpec::points,
           NameCodec{[] { return std::vector<std::string>{"reference", "grid", "sample"}; }, ""},
           "evaluate on the reference solution's points, on a grid, or on `samples` Sobol points inside the "
           "domain (the same for every seed)"),
      leaf("grid", &EvaluationSpec::grid, ListCodec<IntCodec>{IntCodec{2}, 1},
           "points per input axis when points = grid"),
      leaf("samples", &EvaluationSpec::samples, positive_int(), "points when points = sample"),
  }};
  return table;
}

const Table<OutputSpec>& output_table() {
  static const Table<OutputSpec> table{{
      leaf("file", &OutputSpec::file, TextCodec{"a file name", true}, "the HDF5 result file",
           "`results/<name>.h5`"),
      leaf("xdmf", &OutputSpec::xdmf, BoolCodec{}, "also write the ParaView (.xdmf) sidecar"),
      leaf("history_every", &OutputSpec::history_every, positive_int(),
           "steps between history rows of first-order stages (lbfgs writes one every iteration)"),
      leaf("checkpoint_every", &OutputSpec::checkpoint_every, non_negative_int(),
           "steps between checkpoints in /checkpoint, for `pinnkit run --resume` (0: only when stopped by a signal)"),
  }};
  return table;
}

void finish_run(const Source& src, const YAML::Node& node, const std::string&, RunSpec& out) {
  check_default_output_name(src, node, out);
  check_evaluation_grid(src, node, out);
  if (out.output.file.empty()) out.output.file = "results/" + out.name + ".h5";
}

}  // namespace

const Table<RunSpec>& run_table() {
  static const Table<RunSpec> table{
      {
          leaf("name", &RunSpec::name, TextCodec{"a string"}, "run name; names the default output file"),
          leaf("seed", &RunSpec::seed, UInt64Codec{}, "random seed (initial weights, sampling)"),
          leaf("init_from", &RunSpec::init_from, TextCodec{"a file name", true},
               "result file whose model parameters start this run", "`null` (none)"),
          section("problem", &RunSpec::problem, problem_table, "the PDE instance to solve"),
          section("model", &RunSpec::model, model_table, "the network"),
          section("adapter", &RunSpec::adapter, adapter_table, "fine-tuning adapter (with init_from)"),
          leaf("freeze", &RunSpec::freeze, ListCodec<TextCodec>{TextCodec{"a block name"}, 0},
               "parameter blocks (names or glob patterns; a layer name freezes its blocks) kept fixed", "`[]`"),
          section("sampling", &RunSpec::sampling, sampling_table, "collocation points"),
          section("loss", &RunSpec::loss, loss_table, "loss terms"),
          section_list("training", &RunSpec::training, stage_table,
                       "optimisation stages, run in order; a single map is one stage", 1, true),
          section("evaluation", &RunSpec::evaluation, evaluation_table, "error measurement during training"),
          section("output", &RunSpec::output, output_table, "where results go"),
      },
      finish_run};
  return table;
}

}  // namespace pinnkit::io::config
