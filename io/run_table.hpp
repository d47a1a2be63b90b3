#pragma once
/// \brief Many result files as one table (`pinnkit collect`): a row per run
/// with its status, the config keys whose values differ between the runs,
/// and every metric (docs/hpc.md).
#include <string>
#include <vector>

#include "io/result_reader.hpp"

namespace pinnkit::io {

struct RunTable {
  std::vector<std::string> columns;            ///< "run", "status", config keys, metrics
  std::vector<std::vector<std::string>> rows;  ///< one per run, "" where a run has no value
};

/// The config as key path -> flow YAML value, in the file's order:
/// "model.hidden" -> "[32, 32]", "training[1].optimizer" -> "lbfgs".
std::vector<std::pair<std::string, std::string>> flatten_config(const std::string& config_yaml);

/// `names[i]` names `results[i]` in the run column. Config keys appear when
/// their values differ between the runs (output.* left out: it differs by
/// construction); metrics are the union, the errors and times first.
RunTable run_table(const std::vector<ResultFile>& results, const std::vector<std::string>& names);

/// Aligned plain text, CSV (RFC 4180 quoting) or a Markdown table.
std::string format_text(const RunTable& table);
std::string format_csv(const RunTable& table);
std::string format_markdown(const RunTable& table);

}  // namespace pinnkit::io
