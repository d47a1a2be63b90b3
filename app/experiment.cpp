#include "app/experiment.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "adapters/adapter_set.hpp"
#include "adapters/freeze.hpp"
#include "app/run_guards.hpp"
#include "core/error.hpp"
#include "core/kokkos.hpp"
#include "core/runtime.hpp"
#include "core/strings.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"
#include "models/make_model.hpp"
#include "models/slim_kan_layer.hpp"
#include "pde/problem.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/output_constraint.hpp"
#include "solvers/observation_report.hpp"
#include "solvers/trainer.hpp"
#include "solvers/unknowns.hpp"

namespace pinnkit::app {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested.store(true); }

/// SIGINT/SIGTERM finish the current step, then the run writes its file with
/// status `interrupted`. Restores the previous handlers on destruction.
class StopOnSignals {
 public:
  StopOnSignals() {
    stop_requested.store(false);
    old_int_ = std::signal(SIGINT, request_stop);
    old_term_ = std::signal(SIGTERM, request_stop);
  }
  ~StopOnSignals() {
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
  }

 private:
  void (*old_int_)(int);
  void (*old_term_)(int);
};

/// /model: the blocks that are not the adapters' own (adapters are merged
/// into them first), packed into a flat vector of their own.
void write_base_model(io::ResultWriter& writer, const models::ParamStore& store,
                      const adapters::AdapterSet& adapters, const std::map<std::string, std::string>& architecture) {
  std::vector<io::ParamBlock> blocks;
  std::vector<double> flat;
  const std::vector<double> all = store.params_to_host();
  for (const auto& b : store.blocks()) {
    if (adapters.owns(b.name)) continue;
    io::ParamBlock out{b.name, flat.size(), {}, b.group, b.trainable};
    for (int e : b.shape) out.shape.push_back(static_cast<std::size_t>(e));
    flat.insert(flat.end(), all.begin() + static_cast<std::ptrdiff_t>(b.offset),
                all.begin() + static_cast<std::ptrdiff_t>(b.offset + b.size()));
    blocks.push_back(out);
  }
  writer.write_model(flat, blocks, architecture);
}

io::GroupData adapter_group(const adapters::AdapterState& state) {
  io::GroupData g;
  g.attrs = state.attrs;
  for (const auto& [name, array] : state.arrays) {
    io::NdArray a{array.values, {}};
    for (int e : array.shape) a.shape.push_back(static_cast<std::size_t>(e));
    g.datasets[name] = a;
  }
  return g;
}

/// training[i].group_lr may only name groups the store has, on optimizers that honour it.
void check_group_lr(const io::RunSpec& spec, const models::ParamStore& store) {
  std::vector<std::string> groups;
  for (const auto& b : store.blocks())
    if (std::find(groups.begin(), groups.end(), b.group) == groups.end()) groups.push_back(b.group);
  for (std::size_t i = 0; i < spec.training.size(); ++i)
    for (const auto& [group, factor] : spec.training[i].group_lr) {
      const std::string key = "training[" + std::to_string(i) + "].group_lr." + group;
      if (std::find(groups.begin(), groups.end(), group) == groups.end())
        throw InputError(input_message(spec.source_file, key,
                                       "expected a parameter group of this model (" + join(groups) + "), got '" + group + "'"));
    }
}

io::EvalData eval_data(const pde::Problem& problem, const solvers::Evaluation& e) {
  io::EvalData d;
  d.input_names = problem.domain().names();
  d.output_names = problem.output_names();
  d.points = e.x;
  d.u_pred = e.u_pred;
  d.u_ref = e.u_ref;
  return d;
}

/// The architecture attributes of /model: enough to rebuild the network.
std::map<std::string, std::string> architecture(const models::ModelSpec& m, const pde::Problem& p) {
  auto list = [](const std::vector<int>& v) { return "[" + join_numbers(v) + "]"; };
  std::map<std::string, std::string> a{{"type", m.type},
                                       {"inputs", std::to_string(p.input_dim())},
                                       {"outputs", std::to_string(p.output_dim())}};
  if (m.type == "mlp") {
    a["hidden"] = list(m.hidden);
    a["activation"] = m.activation;
  } else {
    a["hidden"] = list(m.kan_hidden);
    a["grid"] = std::to_string(m.grid);
    a["degree"] = std::to_string(m.degree);
    if (m.type == "slim_kan") a["ranks"] = list(m.ranks);
  }
  // The output transform is part of the network: without it the parameters
  // describe another function.
  std::string constraints;
  for (std::size_t i = 0; i < m.hard_constraints.size(); ++i) {
    const auto& c = m.hard_constraints[i];
    const std::string output = c.output.empty() ? p.output_names().at(i) : c.output;
    constraints += (i ? "; " : "") + output + " = " + c.value + " + (" + c.distance + ") * network";
  }
  if (!constraints.empty()) a["hard_constraint"] = constraints;
  return a;
}

/// Slim KAN layers' Tucker coefficient parameters (sum over layers of
/// r1 r2 r3 + n_out r1 + n_in r2 + K r3) and what dense tensors of the same
/// shapes would hold; {0, 0} for other networks.
std::pair<long, long> slim_kan_counts(const models::Model& model) {
  long tucker = 0, dense = 0;
  for (int i = 0; i < model.layer_count(); ++i)
    if (const auto* s = dynamic_cast<const models::SlimKanLayer*>(&model.layer(i))) {
      tucker += s->coefficient_param_count();
      dense += s->dense_coefficient_count();
    }
  return {tucker, dense};
}

/// /observations: the fixed points, the observed values (noise included),
/// the network's values there and the misfit.
io::GroupData observation_group(const solvers::ObservationReport& r, const pde::Problem& problem) {
  io::GroupData g;
  const auto n = static_cast<std::size_t>(r.count), m = r.outputs.size();
  g.datasets["points"] = io::NdArray{r.points, {n, static_cast<std::size_t>(r.inputs)}};
  g.datasets["values"] = io::NdArray{r.values, {n, m}};
  g.datasets["u_pred"] = io::NdArray{r.u_pred, {n, m}};
  std::vector<double> misfit(r.u_pred.size());
  for (std::size_t i = 0; i < misfit.size(); ++i) misfit[i] = r.u_pred[i] - r.values[i];
  g.datasets["misfit"] = io::NdArray{misfit, {n, m}};
  g.attrs["outputs"] = join(r.outputs);
  g.attrs["inputs"] = join(problem.domain().names());
  g.attrs["file"] = problem.observations()->file;
  g.attrs["rms_misfit"] = std::to_string(r.rms_misfit);
  return g;
}

io::RunStatus status_of(solvers::Outcome o) {
  switch (o) {
    case solvers::Outcome::completed: return io::RunStatus::completed;
    case solvers::Outcome::diverged: return io::RunStatus::diverged;
    case solvers::Outcome::interrupted: return io::RunStatus::interrupted;
  }
  return io::RunStatus::interrupted;
}

}  // namespace

Experiment::Experiment(const io::RunSpec& spec)
    : problem(pde::make_problem(spec.problem, spec.source_file)),
      model(models::build_model(spec.model, problem->input_dim(), problem->output_dim(), problem->domain().lower(),
                                problem->domain().upper(), store)),
      adapters(adapters::attach_adapters(*model, store, spec.adapter, spec.source_file)) {
  solvers::add_unknown_blocks(*problem, store);
  store.finalize();
  model->initialize_params(spec.seed);
  solvers::init_unknowns(*problem, store);
  if (!spec.init_from.empty()) {
    // Unknowns start from their init, not from a pretrained file.
    auto skip = adapters.owned_blocks();
    for (const auto& u : problem->unknowns()) skip.push_back(solvers::unknown_block(u.name));
    io::load_initial_model(spec.init_from, architecture(spec.model, *problem), store, skip, spec.source_file);
  }
  adapters::freeze_blocks(store, spec.freeze, spec.source_file);
  check_group_lr(spec, store);
  solvers::check_steppers(spec.training, store, adapters.structure(), spec.source_file);
  solvers::append_output_constraint(
      *model, solvers::compile_hard_constraints(spec.model.hard_constraints, problem->domain().names(),
                                                problem->output_names(), spec.problem.params, spec.source_file));
  objective.emplace(*problem, *model, store, spec.sampling, spec.loss, spec.seed);
  evaluator.emplace(*problem, spec.evaluation, spec.source_file);
  if (const auto structure = adapters.structure(); !structure.svd.empty()) {
    int total_steps = 0;
    for (const auto& stage : spec.training) total_steps += stage.steps;
    allocator = std::make_unique<solvers::RankAllocator>(
        store, structure, spec.adapter, total_steps, spec.seed,
        [this](const ExecSpace& exec) { return objective->weighted_residuals(exec); }, spec.source_file);
  }
}

int run_experiment(const io::RunSpec& spec, const RunOptions& options) {
  const ExecSpace exec;
  // Read whole before anything is written: the file resumed from may be
  // the .partial this run's writer is about to claim and truncate.
  std::optional<io::Resumable> resume;
  if (!options.resume_from.empty())
    resume = io::read_checkpoint(io::read_result(options.resume_from), options.resume_from, io::to_yaml(spec));
  // Everything that can reject the config is built before the output file exists.
  Experiment x(spec);
  if (const std::string w = check_trainable(spec, x.store); !w.empty() && !options.quiet) std::fprintf(stderr, "pinnkit: warning: %s\n", w.c_str());
  auto& store = x.store;
  auto& adapters = x.adapters;
  const auto& problem = x.problem;
  auto& objective = *x.objective;
  adapters.init_from_gradient(exec, [&] { objective.value_and_grad(exec); });

  solvers::TrainerOptions trainer_options;
  trainer_options.quiet = options.quiet;
  trainer_options.stop_requested = &stop_requested;
  // With several ranks a signal may reach one rank between two of another's
  // evaluations: the ranks stop on the flag their shared sum agreed on.
  std::atomic<bool> agreed_stop{false};
  if (options.comm && options.comm->size() > 1) {
    // Gauss-Newton builds J from this rank's residuals only: each rank would
    // choose other components.
    if (x.allocator && spec.adapter.hessian == "gauss_newton")
      throw InputError(input_message(spec.source_file, "adapter.hessian",
                                     "fd under mpirun (gauss_newton sees one rank's residuals), got gauss_newton"));
    objective.distribute(*options.comm, &stop_requested, &agreed_stop);
    trainer_options.stop_requested = &agreed_stop;
  }
  trainer_options.structure = adapters.structure();
  trainer_options.file = spec.source_file;
  trainer_options.history_every = spec.output.history_every;
  trainer_options.checkpoint_every = spec.output.checkpoint_every;
  if (resume) trainer_options.resume = &resume->state;
  io::ResultWriter* checkpoint_writer = nullptr;
  trainer_options.on_checkpoint = [&checkpoint_writer](const solvers::SavedState& state) {
    if (checkpoint_writer) checkpoint_writer->write_group("checkpoint", io::checkpoint_group(state));
  };
  trainer_options.hook = x.allocator.get();
  solvers::Trainer trainer(*x.model, store, objective, *x.evaluator, spec.training, spec.sampling,
                           spec.evaluation, trainer_options);

  // Every rank trains (the same parameters, its share of the points); rank 0 writes.
  std::optional<io::ResultWriter> output;
  if (!options.comm || options.comm->rank() == 0)
    output.emplace(spec.output.file, io::current_provenance(io::to_yaml(spec), spec.source_file, spec.seed),
                   spec.output.xdmf);
  io::ResultWriter* writer = output ? &*output : nullptr;
  checkpoint_writer = writer;
  if (resume && writer) {
    // The interrupted run's history up to its checkpoint, then this run's rows.
    const std::size_t rows = resume->history.empty() ? 0 : resume->history.begin()->second.size();
    for (std::size_t i = 0; i < rows; ++i) {
      std::map<std::string, double> row;
      for (const auto& [column, values] : resume->history) row[column] = values[i];
      writer->append_history(row);
    }
    if (!options.quiet)
      std::fprintf(stderr, "pinnkit: resuming %s at step %.0f (%zu history rows kept)\n", options.resume_from.c_str(),
                   resume->state.scalar("trainer.step"), rows);
  }
  if (!options.quiet)
    std::fprintf(stderr, "pinnkit: %s: %s, %zu parameters (%zu trainable), %s with %d threads\n",
                 spec.name.c_str(), spec.problem.pde.c_str(), store.size(), store.trainable_size(),
                 backend_name().c_str(), backend_threads());
  const auto [slim_params, slim_dense] = slim_kan_counts(*x.model);
  if (!options.quiet && slim_params > 0)
    std::fprintf(stderr, "pinnkit: slim_kan: %ld Tucker coefficient parameters (dense tensors: %ld)\n", slim_params,
                 slim_dense);
  solvers::TrainResult result;
  {
    StopOnSignals signals;
    result = trainer.run(exec, [writer](const std::map<std::string, double>& row) {
      if (writer) writer->append_history(row);
    });
  }
  checkpoint_writer = nullptr;
  if (!adapters.empty()) {
    adapters::AdapterState state = adapters.state();
    if (x.allocator) x.allocator->add_state(state);
    if (writer) writer->write_adapter(adapter_group(state));
    adapters.merge(exec);
  }
  if (writer) write_base_model(*writer, store, adapters, architecture(spec.model, *problem));
  result.metrics["params_total"] = static_cast<double>(store.size());
  result.metrics["params_trainable"] = static_cast<double>(store.trainable_size());
  if (x.allocator) {  // the final budget actually kept, and what choosing it cost
    result.metrics["svd_components_kept"] = x.allocator->components().mask(store).sum();
    double seconds = 0;
    for (const auto& a : x.allocator->history()) seconds += a.seconds;
    result.metrics["allocation_time_s"] = seconds;
  }
  if (slim_params > 0) {
    result.metrics["slim_kan_tucker_params"] = static_cast<double>(slim_params);
    result.metrics["slim_kan_dense_equivalent"] = static_cast<double>(slim_dense);
  }
  if (writer) {
    writer->write_eval(eval_data(*problem, result.evaluation));
    if (problem->observations()) {
      const auto report = solvers::report_observations(exec, *x.model, *problem);
      writer->write_group("observations", observation_group(report, *problem));
      result.metrics["data_rms_misfit"] = report.rms_misfit;
    }
    writer->write_metrics(result.metrics);
    writer->finish(status_of(result.outcome), result.message);
  }
  if (!options.quiet && writer) std::fprintf(stderr, "pinnkit: wrote %s\n", spec.output.file.c_str());
  switch (result.outcome) {
    case solvers::Outcome::completed: return exit_ok;
    case solvers::Outcome::diverged: return exit_diverged;
    case solvers::Outcome::interrupted: return 130;
  }
  return exit_internal;
}

}  // namespace pinnkit::app
