#pragma once
/// \brief A whole experiment: the typed, validated, defaults-filled config.
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/adapter_spec.hpp"
#include "models/model_spec.hpp"
#include "pde/problem_spec.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::io {

struct OutputSpec {
  std::string file;   ///< default: results/<name>.h5
  bool xdmf = true;   ///< write the ParaView sidecar next to the file
  int history_every = 10;  ///< steps between history rows of first-order stages (lbfgs: every iteration)
  int checkpoint_every = 0;  ///< steps between checkpoints in /checkpoint (0: only when stopped by a signal)
};

struct RunSpec {
  std::string name = "run";
  std::uint64_t seed = 0;
  std::string init_from;  ///< an earlier result file to start from (empty = none)
  pde::ProblemSpec problem;
  models::ModelSpec model;
  adapters::AdapterSpec adapter;    ///< fine-tuning adapter (type none = no adapter)
  std::vector<std::string> freeze;  ///< block names or patterns kept fixed in training
  solvers::SamplingSpec sampling;
  solvers::LossSpec loss;
  std::vector<solvers::StageSpec> training{solvers::StageSpec{}};
  solvers::EvaluationSpec evaluation;
  OutputSpec output;
  std::string source_file;  ///< the config file it came from (not a config key)
};

}  // namespace pinnkit::io
