#include "io/observation_file.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/hdf5_file.hpp"

namespace pinnkit::io {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\"");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\"");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream s(line);
  std::string cell;
  while (std::getline(s, cell, ',')) cells.push_back(trim(cell));
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Blamer {
  const std::string& config;
  const std::string& file;
  const std::string& file_key;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError(input_message(config, key, what));
  }
  [[noreturn]] void bad_file(const std::string& what) const { fail(file_key, what); }
};

std::vector<std::vector<double>> read_csv(const Blamer& b, const std::vector<ColumnRequest>& columns) {
  std::ifstream in(b.file);
  if (!in) b.bad_file("expected a readable CSV file, got '" + b.file + "' (cannot be opened)");
  std::string line;
  std::vector<std::string> header;
  std::vector<int> index;
  std::vector<std::vector<double>> out(columns.size());
  for (int number = 1; std::getline(in, line); ++number) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const auto cells = split(line);
    if (header.empty()) {
      header = cells;
      for (const auto& c : columns) {
        int at = -1;
        for (std::size_t k = 0; k < header.size(); ++k)
          if (header[k] == c.name) at = static_cast<int>(k);
        if (at < 0)
          b.fail(c.key, "expected a column '" + c.name + "' in " + b.file + " (columns: " + join(header) +
                            "), got none");
        index.push_back(at);
      }
      continue;
    }
    const std::string where = b.file + " line " + std::to_string(number);
    if (cells.size() != header.size())
      b.bad_file("expected " + std::to_string(header.size()) + " values per row (one per header column) in " +
                 where + ", got " + std::to_string(cells.size()));
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const std::string& cell = cells[index[j]];
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || !std::isfinite(v))
        b.fail(columns[j].key, "expected a finite number in column '" + columns[j].name + "' of " + where +
                                   ", got '" + cell + "'");
      out[j].push_back(v);
    }
  }
  if (header.empty()) b.bad_file("expected a header row of column names in " + b.file + ", got an empty file");
  return out;
}

std::vector<std::vector<double>> read_hdf5(const Blamer& b, const std::vector<ColumnRequest>& columns) {
  std::vector<std::vector<double>> out;
  h5::File f = [&] {
    try {
      return h5::File::open_read(b.file);
    } catch (const InputError& e) {
      b.bad_file(std::string("expected a readable HDF5 file, got: ") + e.what());
    }
  }();
  std::size_t n = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const auto& c = columns[j];
    if (!f.has_dataset(c.name)) {
      std::vector<std::string> names;
      for (const auto& child : f.children())
        if (f.has_dataset(child)) names.push_back(child);
      b.fail(c.key, "expected a dataset '" + c.name + "' in " + b.file + " (datasets: " + join(names) +
                        "), got none");
    }
    const auto array = f.open_dataset(c.name).read_array();
    const auto& shape = array.shape;
    const bool column = shape.size() == 1 || (shape.size() == 2 && shape[1] == 1);
    if (j == 0) n = shape.empty() ? 0 : shape[0];
    if (!column || shape[0] != n) {
      std::vector<std::size_t> s(shape.begin(), shape.end());
      b.fail(c.key, "expected dataset '" + c.name + "' of " + b.file + " to have shape [" + std::to_string(n) +
                        "] (one value per point, as '" + columns[0].name + "'), got [" + join_numbers(s) + "]");
    }
    for (std::size_t i = 0; i < array.values.size(); ++i)
      if (!std::isfinite(array.values[i]))
        b.fail(c.key, "expected finite values in dataset '" + c.name + "' of " + b.file + ", got " +
                          std::to_string(array.values[i]) + " at index " + std::to_string(i));
    out.push_back(array.values);
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> read_observation_columns(const std::string& file,
                                                          const std::vector<ColumnRequest>& columns,
                                                          const std::string& config_file,
                                                          const std::string& file_key) {
  const Blamer b{config_file, file, file_key};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    b.bad_file("expected an existing CSV or HDF5 file, got '" + file + "' (no such file)");
  std::vector<std::vector<double>> out;
  if (ends_with(file, ".csv"))
    out = read_csv(b, columns);
  else if (ends_with(file, ".h5") || ends_with(file, ".hdf5"))
    out = read_hdf5(b, columns);
  else
    b.bad_file("expected a file name ending in .csv, .h5 or .hdf5, got '" + file + "'");
  if (out.empty() || out[0].empty()) b.bad_file("expected at least one observation in " + file + ", got none");
  return out;
}

}  // namespace pinnkit::io
