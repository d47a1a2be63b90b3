// The sections of a run config other than `problem:` (config_schema_problem.cpp).
#include "io/config_schema.hpp"

namespace pinnkit::io::config {

namespace {

using models::FourierSpec;
using models::ModelSpec;
using solvers::EvaluationSpec;
using solvers::LossSpec;
using solvers::SamplingSpec;
using solvers::ScheduleSpec;
using solvers::StageSpec;

const Table<FourierSpec>& fourier_table() {
  static const Table<FourierSpec> table{{
      leaf("count", &FourierSpec::count, non_negative_int(), "number of random frequencies; 0 = no Fourier layer"),
      leaf("scale", &FourierSpec::scale, positive_real(), "standard deviation of the frequencies"),
  }};
  return table;
}

const Table<ModelSpec>& model_table() {
  static const Table<ModelSpec> table{{
      leaf("type", &ModelSpec::type, registry(models::model_types), "network family"),
      leaf("hidden", &ModelSpec::hidden, ListCodec<IntCodec>{positive_int(), 1}, "mlp: hidden layer widths"),
      leaf("activation", &ModelSpec::activation, registry(models::activation_names), "mlp: activation function"),
      leaf("init", &ModelSpec::init, registry(models::init_names), "mlp: weight initialisation"),
      leaf("kan_hidden", &ModelSpec::kan_hidden, ListCodec<IntCodec>{positive_int(), 0},
           "kan: hidden widths between the problem's input and output sizes"),
      leaf("grid", &ModelSpec::grid, positive_int(), "kan: grid intervals G"),
      leaf("degree", &ModelSpec::degree, IntCodec{1, 5}, "kan: spline degree k"),
      leaf("grid_range", &ModelSpec::grid_range, PairCodec{any_real(), true}, "kan: grid span on normalised inputs"),
      leaf("base", &ModelSpec::base, BoolCodec{}, "kan: add the SiLU base branch"),
      leaf("normalize_inputs", &ModelSpec::normalize_inputs, BoolCodec{}, "map the domain box to [-1, 1]"),
      section("fourier", &ModelSpec::fourier, fourier_table, "random Fourier features as a first layer"),
  }};
  return table;
}

const Table<SamplingSpec>& sampling_table() {
  static const Table<SamplingSpec> table{{
      leaf("interior", &SamplingSpec::interior, positive_int(), "collocation points inside the domain"),
      leaf("boundary", &SamplingSpec::boundary, non_negative_int(), "points on the boundary"),
      leaf("initial", &SamplingSpec::initial, non_negative_int(), "points at the initial time"),
      leaf("method", &SamplingSpec::method, registry(solvers::sampling_methods), "how points are drawn"),
      leaf("resample_every", &SamplingSpec::resample_every, non_negative_int(),
           "steps between fresh point sets; 0 = never"),
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
      leaf("type", &ScheduleSpec::type, registry(solvers::schedule_types), "learning-rate schedule"),
      leaf("decay", &ScheduleSpec::decay, unit_interval_real(true, false),
           "exponential/step: factor per `every` steps"),
      leaf("every", &ScheduleSpec::every, positive_int(), "exponential/step: steps per decay"),
      leaf("min_lr", &ScheduleSpec::min_lr, non_negative_real(), "cosine: floor of the learning rate"),
  }};
  return table;
}

const Table<StageSpec>& stage_table() {
  static const Table<StageSpec> table{{
      leaf("optimizer", &StageSpec::optimizer, registry(solvers::optimizer_names), "optimisation method"),
      leaf("lr", &StageSpec::lr, positive_real(), "learning rate (initial step for lbfgs)"),
      leaf("steps", &StageSpec::steps, positive_int(), "iterations of this stage"),
      section("schedule", &StageSpec::schedule, schedule_table, "learning-rate schedule of this stage"),
      leaf("betas", &StageSpec::betas, PairCodec{unit_interval_real(false, true)}, "adam, adamw: moment decay rates"),
      leaf("eps", &StageSpec::eps, positive_real(), "adam, adamw: denominator guard"),
      leaf("weight_decay", &StageSpec::weight_decay, non_negative_real(), "adamw: decoupled weight decay"),
      leaf("momentum", &StageSpec::momentum, unit_interval_real(false, true), "sgd: momentum"),
      leaf("history", &StageSpec::history, positive_int(), "lbfgs: stored curvature pairs"),
      leaf("tolerance", &StageSpec::tolerance, positive_real(), "lbfgs: stop when the gradient norm falls below"),
  }};
  return table;
}

const Table<EvaluationSpec>& evaluation_table() {
  static const Table<EvaluationSpec> table{{
      leaf("every", &EvaluationSpec::every, non_negative_int(), "steps between evaluations; 0 = only at the end"),
      leaf("points", &EvaluationSpec::points,
           NameCodec{[] { return std::vector<std::string>{"reference", "grid"}; }, ""},
           "evaluate on the reference solution's points or on a grid"),
      leaf("grid", &EvaluationSpec::grid, ListCodec<IntCodec>{IntCodec{2}, 1},
           "points per input axis when points = grid"),
  }};
  return table;
}

const Table<OutputSpec>& output_table() {
  static const Table<OutputSpec> table{{
      leaf("file", &OutputSpec::file, TextCodec{"a file name", true}, "the HDF5 result file",
           "`results/<name>.h5`"),
      leaf("xdmf", &OutputSpec::xdmf, BoolCodec{}, "also write the ParaView (.xdmf) sidecar"),
  }};
  return table;
}

void finish_run(const Source& src, const YAML::Node& node, const std::string&, RunSpec& out) {
  if (out.output.file.empty()) out.output.file = "results/" + out.name + ".h5";
  const bool custom_grid = out.problem.pde == "custom" && out.evaluation.points == "grid";
  if (custom_grid && out.evaluation.grid.size() != out.problem.inputs.size()) {
    const auto evaluation = lookup(node, "evaluation");
    const auto grid = evaluation ? lookup(*evaluation, "grid") : std::nullopt;
    src.fail(grid ? *grid : node, "evaluation.grid",
             "expected one entry per input (" + std::to_string(out.problem.inputs.size()) + "), got " +
                 std::to_string(out.evaluation.grid.size()) + " entries");
  }
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
