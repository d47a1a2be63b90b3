#pragma once
/// \brief Reads the columns of problem.observations: named columns of a CSV
/// file (a header row of names, then one row of numbers per point; blank
/// lines and lines starting with '#' are skipped) or named 1-D datasets of
/// an HDF5 file (N or N x 1, all of one length N).
///
/// Every failure is an InputError that names the config file, the key that
/// named the file or column, the data file and what was found.
#include <string>
#include <vector>

namespace pinnkit::io {

struct ColumnRequest {
  std::string name;  ///< column or dataset name in the data file
  std::string key;   ///< the config key that names it, e.g. problem.observations.inputs[0]
};

/// One vector per request, all of one length N >= 1, every value finite.
/// `file_key` is the key of the file name (problem.observations.file).
std::vector<std::vector<double>> read_observation_columns(const std::string& file,
                                                          const std::vector<ColumnRequest>& columns,
                                                          const std::string& config_file,
                                                          const std::string& file_key);

}  // namespace pinnkit::io
