#include "io/result_writer.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <system_error>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"
#include "io/output_claim.hpp"
#include "io/result_writer_state.hpp"

namespace pinnkit::io {

namespace fs = std::filesystem;

namespace {

// History columns are created in this order first (readers listing by
// creation order then show the table as a user expects it), then the rest.
int column_rank(const std::string& name) {
  static const std::vector<std::string> leading{"step", "stage", "loss"};
  auto it = std::find(leading.begin(), leading.end(), name);
  return it == leading.end() ? static_cast<int>(leading.size()) : int(it - leading.begin());
}

void write_header(h5::File& file, const Provenance& p) {
  file.set_attr("format_version", std::int64_t{1});
  file.set_attr("pinnkit_version", p.pinnkit_version);
  file.set_attr("kokkos_version", p.kokkos_version);
  file.set_attr("backend", p.backend);
  file.set_attr("threads", std::int64_t{p.threads});
  file.set_attr("real_type", p.real_type);
  file.set_attr("created", p.created.empty() ? utc_now_iso8601() : p.created);
  file.set_attr("seed", std::uint64_t{p.seed});
  if (!p.hostname.empty()) file.set_attr("hostname", p.hostname);
  file.set_attr("status", to_string(RunStatus::running));
  h5::Dataset config = file.write_string("config", p.config_yaml);
  config.set_attr("source_file", p.config_file);
}

}  // namespace

bool ResultWriter::State::valid_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

void ResultWriter::State::close_file() {
  history_columns.clear();
  history.reset();
  if (file) file->close();
  file.reset();
}

ResultWriter::ResultWriter(std::string path, const Provenance& provenance, bool write_xdmf)
    : state_(std::make_unique<State>()) {
  // Every path the run will write is checked, and the output claimed, before
  // anything is created or truncated: a second run on the same file stops
  // here without touching a byte of the first one's.
  check_output_paths(path, write_xdmf, provenance.config_file);
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec)
      throw InputError(path + ": cannot create the directory " + parent.string() + ": " +
                       ec.message());
  }
  state_->claim = std::make_unique<OutputClaim>(path + ".partial", path);
  state_->path = std::move(path);
  state_->write_xdmf = write_xdmf;
  state_->file.emplace(h5::File::create(partial_path()));
  write_header(*state_->file, provenance);
  state_->file->flush();
}

ResultWriter::~ResultWriter() {
  if (!state_ || state_->finished || !state_->file) return;
  try {
    const char* why = std::uncaught_exceptions() > 0
                          ? "an exception unwound through the run before finish()"
                          : "the result writer was destroyed without finish()";
    state_->file->set_attr("status", to_string(RunStatus::interrupted));
    state_->file->set_attr("message", std::string("run aborted: ") + why);
    state_->close_file();
  } catch (...) {
    // A destructor must not throw; the file keeps whatever status it had.
  }
}

ResultWriter::ResultWriter(ResultWriter&&) noexcept = default;
ResultWriter& ResultWriter::operator=(ResultWriter&&) noexcept = default;

ResultWriter::State& ResultWriter::open_state(const char* operation) {
  PINNKIT_CHECK(state_ && !state_->finished && state_->file,
                std::string("ResultWriter::") + operation + " on a finished or moved-from writer");
  return *state_;
}

const std::string& ResultWriter::path() const {
  PINNKIT_CHECK(state_, "ResultWriter::path on a moved-from writer");
  return state_->path;
}

void ResultWriter::set_write_xdmf(bool on) {
  State& s = open_state("set_write_xdmf");
  PINNKIT_CHECK(!s.eval_written, "set_write_xdmf must come before write_eval");
  s.write_xdmf = on;
}

bool ResultWriter::finished() const { return state_ && state_->finished; }

std::size_t ResultWriter::history_rows() const { return state_ ? state_->rows : 0; }

void ResultWriter::flush() { open_state("flush").file->flush(); }

void ResultWriter::write_model(const std::vector<double>& flat_params,
                               const std::vector<ParamBlock>& blocks,
                               const std::map<std::string, std::string>& architecture) {
  State& s = open_state("write_model");
  if (s.file->has("model")) s.file->remove("model");
  h5::Group model = s.file->create_group("model");
  model.write_array("params", {flat_params, {flat_params.size()}});
  h5::Group block_group = model.create_group("blocks");
  for (const ParamBlock& block : blocks) {
    PINNKIT_CHECK(State::valid_name(block.name), "parameter block name '" + block.name + "'");
    PINNKIT_CHECK(!block_group.has(block.name), "duplicate parameter block " + block.name);
    const std::size_t count = element_count(block.shape);
    PINNKIT_CHECK(block.offset <= flat_params.size() &&
                      count <= flat_params.size() - block.offset,
                  "parameter block " + block.name + " lies outside the flat parameters");
    const auto first = flat_params.begin() + static_cast<std::ptrdiff_t>(block.offset);
    h5::Dataset data = block_group.write_array(
        block.name, {std::vector<double>(first, first + static_cast<std::ptrdiff_t>(count)),
                     block.shape});
    data.set_attr("offset", std::uint64_t{block.offset});
    data.set_attr("shape", std::vector<std::uint64_t>(block.shape.begin(), block.shape.end()));
    data.set_attr("group", block.group);
    data.set_attr("trainable", std::int64_t{block.trainable ? 1 : 0});
  }
  for (const auto& [key, value] : architecture) model.set_attr(key, value);
  s.file->flush();
}

void ResultWriter::append_history(const std::map<std::string, double>& row) {
  State& s = open_state("append_history");
  if (!s.history) s.history.emplace(s.file->create_group("history"));
  std::vector<std::string> new_columns;
  for (const auto& entry : row)
    if (!s.history_columns.count(entry.first)) new_columns.push_back(entry.first);
  std::stable_sort(new_columns.begin(), new_columns.end(),
                   [](const std::string& a, const std::string& b) {
                     return column_rank(a) < column_rank(b);
                   });
  const double missing = std::numeric_limits<double>::quiet_NaN();
  for (const std::string& name : new_columns) {
    PINNKIT_CHECK(State::valid_name(name), "history column name '" + name + "'");
    h5::Dataset column = s.history->create_column(name);
    column.append(std::vector<double>(s.rows, missing));
    s.history_columns.emplace(name, std::move(column));
  }
  for (auto& [name, column] : s.history_columns) {
    auto value = row.find(name);
    column.append({value == row.end() ? missing : value->second});
  }
  ++s.rows;
  s.file->flush();
}

void ResultWriter::write_metrics(const std::map<std::string, double>& metrics) {
  State& s = open_state("write_metrics");
  h5::Group group =
      s.file->has("metrics") ? s.file->open_group("metrics") : s.file->create_group("metrics");
  for (const auto& [name, value] : metrics) group.set_attr(name, value);
  s.file->flush();
}

void ResultWriter::write_group(const std::string& name, const GroupData& data) {
  State& s = open_state("write_group");
  static const std::vector<std::string> reserved{"config", "model", "history", "eval",
                                                 "metrics"};
  PINNKIT_CHECK(State::valid_name(name), "group name '" + name + "'");
  PINNKIT_CHECK(std::find(reserved.begin(), reserved.end(), name) == reserved.end(),
                "write_group cannot replace /" + name);
  // Written whole under NAME.new, then swapped in: a run killed while it
  // writes a checkpoint keeps the previous one (read_checkpoint falls back
  // to NAME.new when NAME is missing, i.e. when killed between the two links).
  const std::string fresh = name + ".new";
  if (s.file->has(fresh)) s.file->remove(fresh);
  h5::Group group = s.file->create_group(fresh);
  for (const auto& [key, value] : data.attrs) group.set_attr(key, value);
  for (const auto& [key, array] : data.datasets) {
    PINNKIT_CHECK(State::valid_name(key), "dataset name '" + key + "' in /" + name);
    group.write_array(key, array);
  }
  s.file->flush();
  if (s.file->has(name)) s.file->remove(name);
  s.file->move(fresh, name);
  s.file->flush();
}

void ResultWriter::finish(RunStatus status, const std::string& message) {
  State& s = open_state("finish");
  PINNKIT_CHECK(status != RunStatus::running, "finish() needs a final status");
  s.file->set_attr("status", to_string(status));
  if (!message.empty()) s.file->set_attr("message", message);
  s.file->set_attr("finished", utc_now_iso8601());
  s.close_file();
  s.finished = true;
  std::error_code ec;
  fs::rename(partial_path(), s.path, ec);
  // The finished file is free for readers that lock (h5dump, h5py) and for
  // the next run; a rename that failed leaves the .partial to the next run.
  s.claim.reset();
  if (ec)
    throw InputError(s.path + ": cannot rename " + partial_path() + " to it: " + ec.message());
  if (s.write_xdmf && s.xdmf) write_xdmf(xdmf_path_for(s.path), *s.xdmf);
}

}  // namespace pinnkit::io
