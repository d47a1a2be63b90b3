#include "app/experiment.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>

#include "core/error.hpp"
#include "core/kokkos.hpp"
#include "core/runtime.hpp"
#include "io/config.hpp"
#include "io/result_writer.hpp"
#include "models/make_model.hpp"
#include "pde/problem.hpp"
#include "solvers/trainer.hpp"

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

std::vector<io::ParamBlock> block_table(const models::ParamStore& store) {
  std::vector<io::ParamBlock> blocks;
  for (const auto& b : store.blocks()) {
    io::ParamBlock out{b.name, b.offset, {}, b.group, b.trainable};
    for (int e : b.shape) out.shape.push_back(static_cast<std::size_t>(e));
    blocks.push_back(out);
  }
  return blocks;
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
  auto list = [](const std::vector<int>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
  };
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
  }
  return a;
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

int run_experiment(const io::RunSpec& spec, const RunOptions& options) {
  const ExecSpace exec;
  // Everything that can reject the config is built before the output file exists.
  const auto problem = pde::make_problem(spec.problem, spec.source_file);
  models::ParamStore store;
  const auto& box = problem->domain();
  auto model = models::make_model(spec.model, problem->input_dim(), problem->output_dim(),
                                  box.lower(), box.upper(), store, spec.seed);
  solvers::Objective objective(*problem, *model, store, spec.sampling, spec.loss, spec.seed);
  const solvers::Evaluator evaluator(*problem, spec.evaluation);

  solvers::TrainerOptions trainer_options;
  trainer_options.quiet = options.quiet;
  trainer_options.stop_requested = &stop_requested;
  solvers::Trainer trainer(*model, store, objective, evaluator, spec.training, spec.sampling,
                           spec.evaluation, trainer_options);

  io::ResultWriter writer(spec.output.file,
                          io::current_provenance(io::to_yaml(spec), spec.source_file, spec.seed),
                          spec.output.xdmf);
  if (!options.quiet)
    std::fprintf(stderr, "pinnkit: %s: %s, %zu parameters (%zu trainable), %s with %d threads\n",
                 spec.name.c_str(), spec.problem.pde.c_str(), store.size(), store.trainable_size(),
                 backend_name().c_str(), backend_threads());
  solvers::TrainResult result;
  {
    StopOnSignals signals;
    result = trainer.run(exec, [&writer](const std::map<std::string, double>& row) {
      writer.append_history(row);
    });
  }
  writer.write_model(store.params_to_host(), block_table(store), architecture(spec.model, *problem));
  writer.write_eval(eval_data(*problem, result.evaluation));
  writer.write_metrics(result.metrics);
  writer.finish(status_of(result.outcome), result.message);
  if (!options.quiet) std::fprintf(stderr, "pinnkit: wrote %s\n", spec.output.file.c_str());
  switch (result.outcome) {
    case solvers::Outcome::completed: return exit_ok;
    case solvers::Outcome::diverged: return exit_diverged;
    case solvers::Outcome::interrupted: return 130;
  }
  return exit_internal;
}

}  // namespace pinnkit::app
