#include "io/result_reader.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"

namespace pinnkit::io {

namespace {

void expect(bool ok, const std::string& file, const std::string& what) {
  if (!ok) throw InputError(file + ": " + what);
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string t = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  return t + "]";
}

std::string optional_string(const h5::Object& object, const std::string& name) {
  return object.has_attr(name) ? object.string_attr(name) : std::string();
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// Attributes of a generic group as strings: numbers written by other tools
// are kept as text rather than dropped.
std::map<std::string, std::string> attrs_as_text(const h5::Object& object) {
  std::map<std::string, std::string> attrs;
  for (const std::string& name : object.attr_names()) {
    switch (object.attr_kind(name)) {
      case h5::AttrKind::string: attrs[name] = object.string_attr(name); break;
      case h5::AttrKind::integer: attrs[name] = std::to_string(object.int_attr(name)); break;
      case h5::AttrKind::real: attrs[name] = number_text(object.real_attr(name)); break;
      default: break;  // arrays and other kinds have no text form here
    }
  }
  return attrs;
}

void read_provenance(const h5::File& file, ResultFile& r) {
  Provenance& p = r.provenance;
  r.format_version = file.has_attr("format_version") ? int(file.int_attr("format_version")) : 0;
  p.pinnkit_version = file.string_attr("pinnkit_version");
  p.kokkos_version = optional_string(file, "kokkos_version");
  p.backend = optional_string(file, "backend");
  p.threads = file.has_attr("threads") ? int(file.int_attr("threads")) : 0;
  p.real_type = optional_string(file, "real_type");
  p.created = optional_string(file, "created");
  p.seed = file.has_attr("seed") ? file.uint_attr("seed") : 0;
  p.hostname = optional_string(file, "hostname");
  r.status = parse_run_status(file.string_attr("status"), r.path);
  r.message = optional_string(file, "message");
  r.finished = optional_string(file, "finished");
  // A link that is there but cannot be read (a file truncated under a
  // running writer) is an error, not a part to leave out silently.
  if (file.has("config")) {
    h5::Dataset config = file.open_dataset("config");
    p.config_yaml = config.read_string();
    p.config_file = optional_string(config, "source_file");
  }
}

ModelData read_model(const h5::Group& model, const std::string& file) {
  ModelData data;
  h5::Array params = model.open_dataset("params").read_array();
  expect(params.shape.size() == 1, file, "/model/params: expected a 1-D dataset");
  data.params = std::move(params.values);
  if (model.has_group("blocks")) {
    h5::Group blocks = model.open_group("blocks");
    for (const std::string& name : blocks.children()) {
      h5::Dataset block = blocks.open_dataset(name);
      ParamBlock info;
      info.name = name;
      info.offset = block.uint_attr("offset");
      for (std::uint64_t extent : block.uints_attr("shape")) info.shape.push_back(extent);
      info.group = optional_string(block, "group");
      info.trainable = !block.has_attr("trainable") || block.int_attr("trainable") != 0;
      expect(info.offset <= data.params.size() &&
                 element_count(info.shape) <= data.params.size() - info.offset,
             file, block.path() + ": block lies outside /model/params");
      // The shaped copy must be what its attributes say: its shape, and the
      // values of /model/params it was copied from (docs/hdf5.md).
      const h5::Array values = block.read_array();
      expect(values.shape == info.shape, file,
             block.path() + ": expected a dataset of shape " + shape_text(info.shape) +
                 " (its shape attribute), got " + shape_text(values.shape));
      expect(std::equal(values.values.begin(), values.values.end(),
                        data.params.begin() + static_cast<std::ptrdiff_t>(info.offset),
                        [](double a, double b) { return a == b || (a != a && b != b); }),
             file,
             block.path() + ": expected the values of /model/params from offset " +
                 std::to_string(info.offset) + ", got different ones");
      data.blocks.push_back(std::move(info));
    }
  }
  data.architecture = attrs_as_text(model);
  return data;
}

std::map<std::string, std::vector<double>> read_history(const h5::Group& history,
                                                        const std::string& file) {
  std::map<std::string, std::vector<double>> columns;
  for (const std::string& name : history.children()) {
    h5::Array column = history.open_dataset(name).read_array();
    expect(column.shape.size() == 1, file, "/history/" + name + ": expected a 1-D dataset");
    expect(columns.empty() || columns.begin()->second.size() == column.values.size(), file,
           "/history/" + name + ": length differs from the other history columns");
    columns[name] = std::move(column.values);
  }
  return columns;
}

std::vector<double> read_matrix(const h5::Group& eval, const std::string& name, std::size_t rows,
                                std::size_t cols, const std::string& file) {
  h5::Array array = eval.open_dataset(name).read_array();
  expect(array.shape == std::vector<std::size_t>{rows, cols}, file,
         "/eval/" + name + ": expected shape " + std::to_string(rows) + " x " +
             std::to_string(cols));
  return std::move(array.values);
}

EvalData read_eval(const h5::Group& group, const std::string& file) {
  EvalData eval;
  eval.input_names = group.strings_attr("input_names");
  eval.output_names = group.strings_attr("output_names");
  const std::size_t d = eval.input_names.size(), m = eval.output_names.size();
  const std::vector<std::size_t> shape = group.open_dataset("points").shape();
  expect(shape.size() == 2 && shape[1] == d, file,
         "/eval/points: expected M x " + std::to_string(d) + " (one column per input name)");
  const std::size_t rows = shape[0];
  eval.points = read_matrix(group, "points", rows, d, file);
  eval.u_pred = read_matrix(group, "u_pred", rows, m, file);
  if (group.has_dataset("u_ref")) eval.u_ref = read_matrix(group, "u_ref", rows, m, file);
  if (group.has_dataset("abs_err")) eval.abs_err = read_matrix(group, "abs_err", rows, m, file);
  return eval;
}

GroupData read_generic(const h5::Group& group) {
  GroupData data;
  data.attrs = attrs_as_text(group);
  for (const std::string& name : group.children())
    if (group.has_dataset(name)) data.datasets[name] = group.open_dataset(name).read_array();
  return data;
}

}  // namespace

ResultFile read_result(const std::string& path) {
  h5::File file = h5::File::open_read(path);
  expect(file.has_attr("pinnkit_version") && file.has_attr("status"), path,
         "not a pinnkit result file (the root has no pinnkit_version and status attributes)");
  ResultFile r;
  r.path = path;
  read_provenance(file, r);
  if (file.has("model")) r.model = read_model(file.open_group("model"), path);
  if (file.has("history")) r.history = read_history(file.open_group("history"), path);
  if (file.has("eval")) r.eval = read_eval(file.open_group("eval"), path);
  if (file.has("metrics")) {
    h5::Group metrics = file.open_group("metrics");
    for (const std::string& name : metrics.attr_names()) {
      const h5::AttrKind kind = metrics.attr_kind(name);
      if (kind == h5::AttrKind::real || kind == h5::AttrKind::integer)
        r.metrics[name] = metrics.real_attr(name);
    }
  }
  for (const std::string& name : file.children()) {
    if (name == "model" || name == "history" || name == "eval" || name == "metrics") continue;
    if (file.has_group(name)) r.groups[name] = read_generic(file.open_group(name));
  }
  return r;
}

namespace {


/// The config key an architecture attribute comes from.
std::string architecture_key(const std::string& attr, const std::map<std::string, std::string>& a) {
  if (attr == "inputs" || attr == "outputs") return "problem (" + attr + ")";
  if (attr == "hidden" && a.count("type") && a.at("type") != "mlp") return "model.kan_hidden";
  return "model." + attr;
}

}  // namespace

void load_initial_model(const std::string& path, const std::map<std::string, std::string>& architecture,
                        models::ParamStore& store, const std::vector<std::string>& skip_blocks,
                        const std::string& config_file) {
  ResultFile file;
  try {
    file = read_result(path);
  } catch (const InputError& e) {
    throw InputError(input_message(config_file, "init_from", "expected a pinnkit result file, got '" + path +
                                                                  "' (" + e.what() + ")"));
  }
  if (!file.model)
    throw InputError(input_message(config_file, "init_from",
                                   "expected a result file with a /model group, got '" + path + "' without one"));
  const ModelData& m = *file.model;
  for (const auto& [attr, want] : architecture) {
    const auto it = m.architecture.find(attr);
    const std::string got = it == m.architecture.end() ? "nothing" : it->second;
    if (got != want)
      throw InputError(input_message(path, architecture_key(attr, architecture),
                                     "expected " + want + " (as in the config), got " + got));
  }
  std::map<std::string, const ParamBlock*> by_name;
  for (const auto& b : m.blocks) by_name[b.name] = &b;
  for (const auto& b : store.blocks()) {
    if (std::find(skip_blocks.begin(), skip_blocks.end(), b.name) != skip_blocks.end()) continue;
    std::vector<std::size_t> want;
    for (int e : b.shape) want.push_back(static_cast<std::size_t>(e));
    const auto it = by_name.find(b.name);
    const std::string key = "/model/blocks/" + b.name;
    if (it == by_name.end())
      throw InputError(input_message(path, key, "expected a block of shape " + shape_text(want) + ", got none"));
    if (it->second->shape != want)
      throw InputError(input_message(path, key, "expected shape " + shape_text(want) + ", got " +
                                                    shape_text(it->second->shape)));
    const std::size_t begin = it->second->offset;
    PINNKIT_CHECK(begin + b.size() <= m.params.size(), "load_initial_model: block outside /model/params");
    store.block_from_host(b.name, std::vector<double>(m.params.begin() + static_cast<std::ptrdiff_t>(begin),
                                                      m.params.begin() + static_cast<std::ptrdiff_t>(begin + b.size())));
  }
}

}  // namespace pinnkit::io
