// The inverse-problem keys of `problem:` (docs/custom_pde.md "Inverse
// problems"): trainable coefficients (unknowns) and observations, whose data
// file is read here so that `pinnkit validate` checks it too.
#include "io/config_schema_inverse.hpp"

#include <algorithm>

#include "io/observation_file.hpp"
#include "pde/catalog.hpp"

namespace pinnkit::io::config {

namespace {

using pde::ObservationSpec;
using pde::ProblemSpec;
using pde::UnknownSpec;

// `bounds: [lo, hi]` sets both and marks the unknown bounded; null = none.
Field<UnknownSpec> bounds_field() {
  Field<UnknownSpec> f;
  f.key = "bounds";
  const PairCodec interval{any_real(), true};
  f.read = [interval](const Source& src, const YAML::Node& v, const std::string& path, UnknownSpec& out) {
    if (v.IsNull()) return;
    const auto b = interval.read(src, v, path);
    out.bounded = true;
    out.lower = b[0];
    out.upper = b[1];
  };
  f.write = [interval](const UnknownSpec& u) {
    return u.bounded ? interval.write({u.lower, u.upper}) : YAML::Node(YAML::NodeType::Null);
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "interval [a, b] with a < b, or null", "`null` (unbounded)",
                    "keeps the value inside (a, b) by the map a + (b - a) sigmoid(theta)"});
  };
  return f;
}

void finish_unknown(const Source& src, const YAML::Node& node, const std::string& path, UnknownSpec& u) {
  if (!node.IsMap() || !lookup(node, "init"))
    src.fail(node, child_path(path, "init"), "expected the initial value (unknowns need it), got nothing");
  const YAML::Node init = *lookup(node, "init");
  if (u.bounded && !(u.lower < u.init && u.init < u.upper))
    src.fail(init, child_path(path, "init"),
             "expected a value strictly inside the bounds (" + format_real(u.lower) + ", " + format_real(u.upper) +
                 "), got " + format_real(u.init));
  if (u.log && u.bounded && !(u.lower > 0))
    src.fail(*lookup(node, "bounds"), child_path(path, "bounds"),
             "expected a positive lower bound with log: true, got " + format_real(u.lower));
  if (u.log && !(u.init > 0))
    src.fail(init, child_path(path, "init"), "expected a positive value with log: true, got " + format_real(u.init));
}

const Table<UnknownSpec>& unknown_table() {
  static const Table<UnknownSpec> table{
      {
          leaf("init", &UnknownSpec::init, any_real(), "initial value", "required"),
          bounds_field(),
          leaf("log", &UnknownSpec::log, BoolCodec{},
               "train log(value) (value = exp(theta), or exp of the bounds' log-interval map): for positive "
               "coefficients of unknown scale"),
      },
      finish_unknown};
  return table;
}

void finish_observations(const Source& src, const YAML::Node& node, const std::string& path, ObservationSpec& o) {
  if (o.file.empty()) {
    if (node.IsMap() && node.size() > 0)
      src.fail(node, child_path(path, "file"), "expected the data file (observations need it), got nothing");
    return;
  }
  for (const char* key : {"inputs", "outputs"})
    if (!lookup(node, key))
      src.fail(node, child_path(path, key), "expected a non-empty list of names (observations need it), got nothing");
}

/// A custom problem's inputs and outputs are known here: names are checked
/// before the file is opened, so a typo is reported as such. (A catalog
/// problem's outputs are checked when it is built.)
void check_custom_names(const Source& src, const YAML::Node& node, const std::string& path, const ObservationSpec& o,
                        const ProblemSpec& p) {
  if (p.pde != "custom") return;
  if (o.inputs.size() != p.inputs.size())
    src.fail(node["inputs"], child_path(path, "inputs"),
             "expected one column per problem input (" + join_names(p.inputs) + "), got " +
                 std::to_string(o.inputs.size()));
  for (std::size_t j = 0; j < o.outputs.size(); ++j)
    if (std::find(p.outputs.begin(), p.outputs.end(), o.outputs[j]) == p.outputs.end())
      src.fail(node["outputs"][j], index_path(child_path(path, "outputs"), j),
               "expected one of the outputs " + join_names(p.outputs) + ", got '" + o.outputs[j] + "'");
}

/// Fills o.points and o.values from the data file.
void load_observations(const Source& src, const std::string& path, ObservationSpec& o) {
  std::vector<ColumnRequest> columns;
  for (std::size_t i = 0; i < o.inputs.size(); ++i)
    columns.push_back({o.inputs[i], index_path(child_path(path, "inputs"), i)});
  for (std::size_t j = 0; j < o.outputs.size(); ++j)
    columns.push_back({o.outputs[j], index_path(child_path(path, "outputs"), j)});
  const auto data = read_observation_columns(o.file, columns, src.file(), child_path(path, "file"));
  const std::size_t n = data[0].size(), d = o.inputs.size(), m = o.outputs.size();
  o.points.assign(n * d, 0.0);
  o.values.assign(n * m, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < d; ++a) o.points[i * d + a] = data[a][i];
    for (std::size_t j = 0; j < m; ++j) o.values[i * m + j] = data[d + j][i];
  }
}

const Table<ObservationSpec>& observation_table() {
  static const Table<ObservationSpec> table{
      {
          leaf("file", &ObservationSpec::file, TextCodec{"a file name", true},
               "observed values: a CSV file (header row of column names) or an HDF5 file (one 1-D dataset per "
               "name); relative to the working directory",
               "`\"\"` (no observations)"),
          leaf("inputs", &ObservationSpec::inputs, ListCodec<TextCodec>{{"a column name"}, 1},
               "the columns (datasets) of the point coordinates, one per problem input, in input order",
               "required with file"),
          leaf("outputs", &ObservationSpec::outputs, ListCodec<TextCodec>{{"an output name"}, 1, true},
               "the observed outputs; each is read from the column (dataset) of its name", "required with file"),
          leaf("noise", &ObservationSpec::noise, non_negative_real(),
               "synthetic noise for experiments with known answers: adds Gaussian noise of standard deviation "
               "noise * RMS(values of the output) to each value; 0 for measured data"),
          leaf("noise_seed", &ObservationSpec::noise_seed, UInt64Codec{},
               "seed of the noise stream (independent of the run's seed: the same data for every run seed)"),
      },
      finish_observations};
  return table;
}

}  // namespace

Field<ProblemSpec> unknowns_field() {
  Field<ProblemSpec> f;
  f.key = "unknowns";
  f.read = [](const Source& src, const YAML::Node& v, const std::string& path, ProblemSpec& out) {
    if (v.IsNull()) return;
    if (!v.IsMap()) src.fail(v, path, "expected a map of unknown names to {init, bounds, log}, got " + describe(v));
    std::vector<std::string> known;
    if (out.pde == "custom") {
      for (auto it = v.begin(); it != v.end(); ++it)
        if (it->first.IsScalar()) known.push_back(it->first.Scalar());
    } else {
      // A catalog problem learns one of its own parameters.
      const pde::ProblemInfo* info = pde::find_problem(out.pde);
      if (info)
        for (const auto& [name, value] : info->default_params) known.push_back(name);
    }
    check_map_keys(src, v, path, known);
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string name = it->first.Scalar();
      const std::string key = child_path(path, name);
      if (!is_identifier(name)) src.fail(it->first, key, "expected an unknown name (letters, digits, _), got '" + name + "'");
      if (!it->second.IsMap()) src.fail(it->second, key, "expected a map {init, bounds, log}, got " + describe(it->second));
      out.unknowns[name] = read_section(src, it->second, key, unknown_table());
    }
  };
  f.write = [](const ProblemSpec& p) {
    YAML::Node n(YAML::NodeType::Map);
    for (const auto& [name, u] : p.unknowns) n[name] = write_section(u, unknown_table());
    if (p.unknowns.empty()) n.SetStyle(YAML::EmitterStyle::Flow);
    return n;
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map of name: {init, bounds, log}", "`{}` (none)",
                    "trainable PDE coefficients, read in the equations and conditions in place of a parameter of "
                    "the same name; a catalog problem learns its own parameters"});
    document_section(unknown_table(), path + ".NAME", rows);
  };
  return f;
}

Field<ProblemSpec> observations_field() {
  Field<ProblemSpec> f;
  f.key = "observations";
  f.read = [](const Source& src, const YAML::Node& v, const std::string& path, ProblemSpec& out) {
    out.observations = read_section(src, v, path, observation_table());
    if (out.observations.file.empty()) return;
    check_custom_names(src, v, path, out.observations, out);
    load_observations(src, path, out.observations);
  };
  f.write = [](const ProblemSpec& p) {
    return p.observations.file.empty() ? YAML::Node(YAML::NodeType::Null)
                                       : write_section(p.observations, observation_table());
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map, or null", "`null` (none)",
                    "measured values at fixed points: one `data` loss term per observed output"});
    document_section(observation_table(), path, rows);
  };
  return f;
}

}  // namespace pinnkit::io::config
