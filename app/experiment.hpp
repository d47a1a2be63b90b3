#pragma once
/// \brief `pinnkit run` after the config is read: builds the problem, model
/// and trainer from the specs, trains, and writes the result file.
#include <memory>
#include <optional>
#include <vector>

#include "adapters/adapter_set.hpp"
#include "core/communicator.hpp"
#include "io/run_spec.hpp"
#include "models/model.hpp"
#include "models/param_store.hpp"
#include "pde/problem.hpp"
#include "solvers/evaluator.hpp"
#include "solvers/objective.hpp"
#include "solvers/rank_allocation.hpp"

namespace pinnkit::app {

struct RunOptions {
  bool quiet = false;
  /// A result file (or .partial) whose /checkpoint the run continues from.
  std::string resume_from;
  /// Data parallelism over MPI ranks (null: one process). Rank 0 writes the file.
  const Communicator* comm = nullptr;
};

/// Everything a run trains, built from the specs (needs an initialised
/// Runtime). Building it is where the checks the schema cannot make happen:
/// expressions, data files, init_from, freeze patterns, parameter groups;
/// so `validate` builds one too, and `run` builds it before any output exists.
struct Experiment {
  explicit Experiment(const io::RunSpec& spec);

  std::unique_ptr<pde::Problem> problem;
  models::ParamStore store;
  std::unique_ptr<models::Model> model;
  adapters::AdapterSet adapters;
  std::optional<solvers::Objective> objective;
  std::optional<solvers::Evaluator> evaluator;
  /// SVD-form adapters' orthogonality regulariser and rank allocation (null without them).
  std::unique_ptr<solvers::RankAllocator> allocator;
};

/// Needs an initialised Runtime. Returns the exit code: 0 completed,
/// 3 diverged, 130 interrupted by a signal (the file is written in each case).
int run_experiment(const io::RunSpec& spec, const RunOptions& options);

/// What `pinnkit run` does with a loaded config: the memory and output-path
/// checks, then the Runtime (`threads`, or OMP_NUM_THREADS / all cores) and
/// run_experiment. Once per process (Kokkos initialises once).
int run_checked(const io::RunSpec& spec, std::optional<int> threads, const RunOptions& options);

}  // namespace pinnkit::app
