#pragma once
/// \brief The plain C++ contents of a pinnkit result file (docs/hdf5.md):
/// run status, provenance, parameter blocks, evaluation data and generic
/// groups, shared by ResultWriter and read_result.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/result_array.hpp"

namespace pinnkit::io {

/// How a run ended. `running` is what a file says while the run is still
/// writing it, or after a crash that left no chance to say more.
enum class RunStatus { running, completed, diverged, interrupted };

/// "running", "completed", "diverged", "interrupted".
std::string to_string(RunStatus status);
/// The inverse of to_string; throws InputError naming `file` otherwise.
RunStatus parse_run_status(const std::string& text, const std::string& file = "");

/// Where and how a result was computed: the root attributes and /config.
struct Provenance {
  std::string pinnkit_version;  ///< PINNKIT_VERSION
  std::string kokkos_version;   ///< e.g. "Kokkos 3.4.1"
  std::string backend;          ///< default execution space, e.g. "OpenMP"
  int threads = 1;              ///< concurrency of that space
  std::string real_type;        ///< "float64" or "float32"
  std::string created;          ///< ISO 8601 UTC; the writer fills it when empty
  std::uint64_t seed = 0;
  std::string hostname;         ///< optional (not written when empty)
  std::string config_yaml;      ///< the resolved config, as `pinnkit validate` prints it
  std::string config_file;      ///< the file it came from ("" when none)
};

/// Provenance of this process: versions, backend and threads (Kokkos must be
/// initialised), real type, hostname and the current time.
Provenance current_provenance(std::string config_yaml, std::string config_file,
                              std::uint64_t seed);

/// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_now_iso8601();

/// One named slice of the flat parameter vector (mirrors models' blocks).
struct ParamBlock {
  std::string name;                ///< unique, no '/'
  std::size_t offset = 0;          ///< into the flat vector
  std::vector<std::size_t> shape;  ///< row-major; {} is a scalar
  std::string group;               ///< learning-rate group
  bool trainable = true;
};

/// The trained network: flat parameters, their blocks, architecture facts.
struct ModelData {
  std::vector<double> params;
  std::vector<ParamBlock> blocks;
  std::map<std::string, std::string> architecture;
};

/// Predictions on the evaluation points. M points, d inputs, m outputs; all
/// arrays row-major.
struct EvalData {
  std::vector<std::string> input_names;   ///< d names (x, y, t, ...)
  std::vector<std::string> output_names;  ///< m names (u, v, p, ...)
  std::vector<double> points;             ///< M x d
  std::vector<double> u_pred;             ///< M x m
  std::vector<double> u_ref;              ///< M x m, empty when there is no reference
  std::vector<double> abs_err;            ///< M x m; |u_pred - u_ref| computed when empty
  /// M, from points and input_names (0 when there are no inputs).
  std::size_t point_count() const {
    return input_names.empty() ? 0 : points.size() / input_names.size();
  }
};

/// A generic group (/adapter and friends): string attributes and named,
/// shaped double datasets.
struct GroupData {
  std::map<std::string, std::string> attrs;
  std::map<std::string, NdArray> datasets;
};

}  // namespace pinnkit::io
