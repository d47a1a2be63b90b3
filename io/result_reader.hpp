#pragma once
/// \brief Reads a pinnkit result file back into plain C++ types, and the
/// summary `pinnkit info` prints (schema: docs/hdf5.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/result_types.hpp"
#include "models/param_store.hpp"

namespace pinnkit::io {

/// Everything a result file holds; parts a run did not reach are empty.
struct ResultFile {
  std::string path;
  int format_version = 0;
  Provenance provenance;  ///< root attributes and /config
  RunStatus status = RunStatus::running;
  std::string message;   ///< why a run ended as it did ("" when none)
  std::string finished;  ///< ISO 8601 UTC of finish() ("" when it never ran)
  std::optional<ModelData> model;
  std::map<std::string, std::vector<double>> history;  ///< columns, equal lengths
  std::optional<EvalData> eval;
  std::map<std::string, double> metrics;
  std::map<std::string, GroupData> groups;  ///< /adapter and other generic groups

  std::size_t history_rows() const {
    return history.empty() ? 0 : history.begin()->second.size();
  }
  const GroupData* adapter() const {
    auto it = groups.find("adapter");
    return it == groups.end() ? nullptr : &it->second;
  }
};

/// Reads `path` (a final file or a `.partial` one). A missing file, a file
/// that is not HDF5, or an HDF5 file that is not a pinnkit result (no
/// pinnkit_version/status attributes, malformed groups) throws InputError
/// whose message starts with the path.
ResultFile read_result(const std::string& path);

/// `init_from`: starts a run from the model of the result file `path`.
/// Every architecture attribute of its /model must equal `architecture` (what
/// this run's config would write), and every block of `store` not in
/// `skip_blocks` (adapter blocks) must be in the file with the same shape;
/// those blocks are then copied, by name. Errors throw InputError naming the
/// file and the key: "config.yaml: init_from: ..." when `path` is not a
/// readable result with a model, "RUN.h5: model.hidden: expected [32, 32]
/// (the config's), got [64, 64]" for an architecture mismatch and
/// "RUN.h5: /model/blocks/dense0.weight: expected shape [32, 2], got ..." for a block.
void load_initial_model(const std::string& path, const std::map<std::string, std::string>& architecture,
                        models::ParamStore& store, const std::vector<std::string>& skip_blocks,
                        const std::string& config_file);

/// A human-readable summary: status (prominent unless completed), dates,
/// versions, backend, problem and model from the config, parameter count,
/// history rows with first/last loss, metrics and evaluation points.
std::string summarize(const ResultFile& result);

}  // namespace pinnkit::io
