#include "pde/reference_data.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace pinnkit::pde {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") + 1 - first);
}

/// Parses one whitespace-separated number; false when `word` is not exactly one.
bool parse_number(const std::string& word, double& out) {
  errno = 0;
  char* end = nullptr;
  out = std::strtod(word.c_str(), &end);
  return end != word.c_str() && *end == '\0' && errno != ERANGE;
}

std::string line_message(const std::string& file, int line, const std::string& what) {
  return input_message(file + ":" + std::to_string(line), "", what);
}

/// Candidate data directories, in order of preference (see the header).
std::vector<fs::path> candidate_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("PINNKIT_DATA_DIR"); env && *env) dirs.emplace_back(env);
  // The source tree's data/ (pde/CMakeLists.txt); __FILE__ would not do:
  // compiler caches and relocated builds make it relative.
  dirs.emplace_back(PINNKIT_DATA_DIR);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back(exe.parent_path().parent_path() / "data");
    dirs.push_back(exe.parent_path().parent_path() / "share" / "pinnkit" / "data");
  }
  return dirs;
}

}  // namespace

DataTable read_data_table(const std::string& path, int expected_columns) {
  std::ifstream in(path);
  if (!in) throw InputError(input_message(path, "", "expected a readable reference data file, got none"));
  DataTable t;
  t.file = path;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string text = trim(line);
    if (text.empty()) continue;
    if (text[0] == '%') {
      if (t.rows > 0)
        throw InputError(line_message(path, number, "expected numbers after the data began, got a '%' header line"));
      t.header.push_back(trim(text.substr(1)));
      continue;
    }
    std::istringstream words(text);
    std::string word;
    int columns = 0;
    while (words >> word) {
      double v = 0;
      if (!parse_number(word, v))
        throw InputError(line_message(path, number,
                                      "column " + std::to_string(columns + 1) + ": expected a number, got '" +
                                          word + "'"));
      t.values.push_back(v);
      ++columns;
    }
    const int wanted = t.rows > 0 ? t.columns : expected_columns;
    if (wanted > 0 && columns != wanted)
      throw InputError(line_message(path, number,
                                    "expected " + std::to_string(wanted) + " numbers, got " + std::to_string(columns)));
    t.columns = columns;
    ++t.rows;
  }
  if (t.rows == 0) throw InputError(input_message(path, "", "expected rows of numbers, got none"));
  return t;
}

std::string data_dir() {
  // An explicit override that does not exist is a user error, not a reason
  // to fall back silently to another copy of the data.
  if (const char* env = std::getenv("PINNKIT_DATA_DIR"); env && *env) {
    std::error_code ec;
    if (!fs::is_directory(env, ec))
      throw InputError(input_message("PINNKIT_DATA_DIR", "", std::string("expected a directory, got '") + env + "'"));
  }
  const auto dirs = candidate_dirs();
  for (const auto& d : dirs) {
    std::error_code ec;
    if (fs::is_directory(d, ec)) return d.string();
  }
  std::vector<std::string> tried;
  for (const auto& d : dirs) tried.push_back(d.string());
  throw InputError(input_message("PINNKIT_DATA_DIR", "",
                                 "expected a reference data directory (set PINNKIT_DATA_DIR), got none of: " + join(tried)));
}

std::string data_file(const std::string& relative) {
  const fs::path p = fs::path(data_dir()) / relative;
  std::error_code ec;
  if (!fs::is_regular_file(p, ec))
    throw InputError(input_message(p.string(), "",
                                   "expected the reference data file (PINNKIT_DATA_DIR points elsewhere), got none"));
  return p.string();
}

ReferenceData reference_from_columns(const DataTable& table, int inputs, int outputs) {
  if (table.columns != inputs + outputs)
    throw InputError(input_message(table.file, "",
                                   "expected " + std::to_string(inputs + outputs) + " columns, got " +
                                       std::to_string(table.columns)));
  ReferenceData r;
  r.inputs = inputs;
  r.outputs = outputs;
  r.source = table.file;
  for (int i = 0; i < table.rows; ++i) {
    for (int c = 0; c < inputs; ++c) r.points.push_back(table.at(i, c));
    for (int c = 0; c < outputs; ++c) r.values.push_back(table.at(i, inputs + c));
  }
  return r;
}

ReferenceData reference_from_time_columns(const DataTable& table, const std::vector<double>& times) {
  if (static_cast<int>(times.size()) + 1 != table.columns)
    throw InputError(input_message(table.file, "",
                                   "expected x and " + std::to_string(times.size()) + " time columns, got " +
                                       std::to_string(table.columns) + " columns"));
  ReferenceData r;
  r.inputs = 2;
  r.outputs = 1;
  r.source = table.file;
  for (std::size_t j = 0; j < times.size(); ++j)
    for (int i = 0; i < table.rows; ++i) {
      r.points.push_back(table.at(i, 0));
      r.points.push_back(times[j]);
      r.values.push_back(table.at(i, static_cast<int>(j) + 1));
    }
  return r;
}

std::vector<double> header_times(const DataTable& table) {
  std::vector<double> times;
  if (table.header.empty()) return times;
  const std::string& names = table.header.back();
  const std::string mark = "@ t=";
  for (auto at = names.find(mark); at != std::string::npos; at = names.find(mark, at + 1)) {
    const std::size_t start = at + mark.size();
    const std::string word = names.substr(start, names.find_first_of(" \t", start) - start);
    double v = 0;
    if (!parse_number(word, v))
      throw InputError(input_message(table.file, "header", "expected a time after '@ t=', got '" + word + "'"));
    times.push_back(v);
  }
  return times;
}

}  // namespace pinnkit::pde
