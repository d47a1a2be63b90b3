#pragma once
/// \brief Reads a pinnkit result file back into plain C++ types, and the
/// summary `pinnkit info` prints (schema: docs/hdf5.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/result_types.hpp"

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

/// A human-readable summary: status (prominent unless completed), dates,
/// versions, backend, problem and model from the config, parameter count,
/// history rows with first/last loss, metrics and evaluation points.
std::string summarize(const ResultFile& result);

}  // namespace pinnkit::io
