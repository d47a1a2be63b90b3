#pragma once
/// \brief Reference solutions known at scattered points (data files, generators)
/// and the loader of the COMSOL-style text tables they come in.
///
/// Table format (PINNacle's `ref/*.dat`): lines starting with `%` are header
/// lines (the last one names the columns), every other non-blank line holds
/// the same number of whitespace-separated numbers.
///
/// Where data files are found (data_dir()): the environment variable
/// PINNKIT_DATA_DIR when set; else `data/` of the source tree the build
/// came from (a compile definition); else `../data` and
/// `../share/pinnkit/data` next to the running executable. The first that exists wins; a PINNKIT_DATA_DIR that
/// is not a directory is an InputError.
#include <string>
#include <vector>

namespace pinnkit::pde {

/// A reference solution at fixed points: values (size x outputs) at points
/// (size x inputs), both row-major on the host.
struct ReferenceData {
  int inputs = 0, outputs = 0;
  std::vector<double> points;
  std::vector<double> values;
  std::string source;  ///< where it came from (file name or generator), for messages and provenance
  int size() const { return inputs > 0 ? static_cast<int>(points.size() / inputs) : 0; }
};

/// The numbers of a table file, row-major, with its header lines.
struct DataTable {
  std::string file;
  std::vector<std::string> header;  ///< the `%` lines without the leading `%`, trimmed
  int rows = 0, columns = 0;
  std::vector<double> values;
  double at(int row, int column) const { return values[static_cast<std::size_t>(row) * columns + column]; }
};

/// Reads a table file. Throws InputError naming the file (and the line) when
/// it is missing, unreadable, has a malformed number, rows of different
/// widths, no rows, or (when expected_columns > 0) another column count.
DataTable read_data_table(const std::string& path, int expected_columns = 0);

/// The directory reference data files are looked up in (see the file brief);
/// throws InputError when none of the candidates exists.
std::string data_dir();

/// data_dir() + "/" + relative, checked to exist (InputError otherwise,
/// naming the full path and how to point PINNKIT_DATA_DIR elsewhere).
std::string data_file(const std::string& relative);

/// A table of columns (inputs..., outputs...) per point, e.g. x, y, u.
ReferenceData reference_from_columns(const DataTable& table, int inputs, int outputs);

/// A space-time table of one output: column 0 is x, column 1 + j is u at
/// times[j]; the points are (x, t) pairs, x fastest. times.size() must be
/// columns - 1 (InputError naming the file otherwise).
ReferenceData reference_from_time_columns(const DataTable& table, const std::vector<double>& times);

/// The times a COMSOL header names in its last line (`... @ t=0.1 ...`), in
/// order; empty when the header names none.
std::vector<double> header_times(const DataTable& table);

}  // namespace pinnkit::pde
