#pragma once
/// \brief Checkpoints in result files: the trainer's SavedState as the group
/// /checkpoint (one float64 dataset per entry, texts as attributes), and
/// what `pinnkit run --resume RUN.h5` reads back and checks (docs/hdf5.md).
#include <string>

#include "io/result_reader.hpp"
#include "io/result_types.hpp"
#include "solvers/saved_state.hpp"

namespace pinnkit::io {

GroupData checkpoint_group(const solvers::SavedState& state);

/// A run to resume: its checkpoint and the history rows it keeps.
struct Resumable {
  solvers::SavedState state;
  std::map<std::string, std::vector<double>> history;  ///< the first rows, as many as the checkpoint keeps
};

/// Reads the checkpoint of `result` (read from `path`). InputError naming
/// the file when it has none, and naming the first config key whose value
/// differs from `config_yaml` (this run's resolved config; output.* may
/// differ): a checkpoint only continues the run it came from.
Resumable read_checkpoint(const ResultFile& result, const std::string& path, const std::string& config_yaml);

/// Whether the result file (or its .partial) at `path` holds a checkpoint;
/// the file to resume from, or "" when none.
std::string resumable_file(const std::string& path);

}  // namespace pinnkit::io
