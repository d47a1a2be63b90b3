// The `problem:` section: a catalog problem with its parameters, or a custom
// problem written in the config (inputs, domain, equations, conditions).
#include <algorithm>

#include "core/error.hpp"
#include "io/config_schema.hpp"
#include "io/config_schema_inverse.hpp"
#include "pde/catalog.hpp"

namespace pinnkit::io::config {

namespace {

using pde::ConditionSpec;
using pde::ProblemSpec;

const std::string custom = "custom";

std::vector<std::string> problem_names() {
  std::vector<std::string> names;
  for (const auto& p : pde::catalog()) names.push_back(p.name);
  return names;
}

std::string custom_only(const ProblemSpec& p) {
  if (p.pde == custom) return "";
  return "belongs to custom problems (pde: custom), expected no such key for the catalog problem '" +
         p.pde + "'";
}

const pde::ProblemInfo& catalog_entry(const std::string& name) {
  const pde::ProblemInfo* info = pde::find_problem(name);
  PINNKIT_CHECK(info != nullptr, "problem '" + name + "' passed the name check but is not in the catalog");
  return *info;
}

std::string parent_of(const std::string& path) { return path.substr(0, path.rfind('.')); }

// Catalog problems take exactly their catalog parameters; custom problems
// take any names, which their expressions then use.
Field<ProblemSpec> params_field() {
  Field<ProblemSpec> f;
  f.key = "params";
  f.read = [](const Source& src, const YAML::Node& v, const std::string& path, ProblemSpec& out) {
    if (v.IsNull()) return;
    if (!v.IsMap()) src.fail(v, path, "expected a map of parameter names to numbers, got " + describe(v));
    std::vector<std::string> known;
    if (out.pde == custom) {
      for (auto it = v.begin(); it != v.end(); ++it)
        if (it->first.IsScalar()) known.push_back(it->first.Scalar());
    } else {
      for (const auto& [name, value] : catalog_entry(out.pde).default_params) known.push_back(name);
      if (known.empty() && v.size() > 0)
        src.fail(v, path, "expected no parameters (problem '" + out.pde + "' takes none), got a map");
    }
    check_map_keys(src, v, path, known);
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string name = it->first.Scalar();
      if (!is_identifier(name))
        src.fail(it->first, child_path(path, name), "expected a parameter name (letters, digits, _), got '" + name + "'");
      out.params[name] = any_real().read(src, it->second, child_path(path, name));
    }
  };
  f.write = [](const ProblemSpec& p) {
    YAML::Node n(YAML::NodeType::Map);
    for (const auto& [name, value] : p.params) n[name] = format_real(value);
    if (p.params.empty()) n.SetStyle(YAML::EmitterStyle::Flow);
    return n;
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map of name: finite number", "the catalog problem's defaults",
                    "instance parameters; a catalog problem takes only its own (see `pinnkit list`), "
                    "a custom problem any names its expressions use"});
  };
  return f;
}

Field<ProblemSpec> domain_field() {
  Field<ProblemSpec> f;
  f.key = "domain";
  f.read = [](const Source& src, const YAML::Node& v, const std::string& path, ProblemSpec& out) {
    if (out.inputs.empty())
      src.fail(v, child_path(parent_of(path), "inputs"),
               "expected a list of input names before the domain can be checked, got nothing");
    check_map_keys(src, v, path, out.inputs);
    const PairCodec interval{any_real(), true};
    for (auto it = v.begin(); it != v.end(); ++it)
      out.domain[it->first.Scalar()] = interval.read(src, it->second, child_path(path, it->first.Scalar()));
  };
  f.write = [](const ProblemSpec& p) {
    YAML::Node n(YAML::NodeType::Map);
    const PairCodec interval{any_real(), true};
    for (const auto& input : p.inputs)
      if (p.domain.count(input)) n[input] = interval.write(p.domain.at(input));
    return n;
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map of input: [a, b] with a < b", "required", "the box: one interval per input, no others"});
  };
  return f;
}

// One expression (a one-output problem) or a list of them, one per output.
Field<ProblemSpec> exact_field() {
  Field<ProblemSpec> f;
  f.key = "exact";
  const TextCodec single{"an expression", true};
  const ListCodec<TextCodec> list{{"an expression"}, 1};
  f.read = [single, list](const Source& src, const YAML::Node& v, const std::string& path, ProblemSpec& out) {
    if (v.IsSequence())
      out.exact_list = list.read(src, v, path);
    else
      out.exact = single.read(src, v, path);
  };
  f.write = [single, list](const ProblemSpec& p) {
    return p.exact_list.empty() ? single.write(p.exact) : list.write(p.exact_list);
  };
  f.document = [](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "expression, list of expressions (one per output) or null", "`null` (none)",
                    "custom: exact solution, for errors; a list for several outputs, in `outputs` order"});
  };
  return f;
}

std::string robin_only(const ConditionSpec& c) {
  return c.type == "robin" ? "" : "belongs to robin conditions, expected no such key with type: " + c.type;
}

std::string operator_only(const ConditionSpec& c) {
  return c.type == "operator" ? "" : "belongs to operator conditions, expected no such key with type: " + c.type;
}

const Table<ConditionSpec>& condition_table() {
  static const Table<ConditionSpec> table{
      {
          leaf("type", &ConditionSpec::type, registry(pde::condition_types), "the kind of condition",
               "required"),
          leaf("on", &ConditionSpec::on, ListCodec<IdentifierCodec>{{}, 0, true},
               "boundary parts (`x_min`, `x_max`, ... of the inputs); empty = the whole boundary; "
               "periodic: the two faces of one spatial input, e.g. `[x_min, x_max]`"),
          leaf("value", &ConditionSpec::value, TextCodec{"an expression"},
               "the prescribed value (robin: alpha u + beta du/dn = value; periodic: unused)"),
          leaf("output", &ConditionSpec::output, TextCodec{"an output name", true},
               "the output it constrains; empty = the first", "`\"\"` (the first output)"),
          only_if(leaf("alpha", &ConditionSpec::robin_alpha, any_real(), "robin: weight of u"),
                  std::function<std::string(const ConditionSpec&)>(robin_only)),
          only_if(leaf("beta", &ConditionSpec::robin_beta, any_real(), "robin: weight of du/dn"),
                  std::function<std::string(const ConditionSpec&)>(robin_only)),
          only_if(leaf("expression", &ConditionSpec::expression, TextCodec{"an expression"},
                       "operator: the expression of the outputs and their derivatives held at `value`, e.g. "
                       "`u_xx`",
                       "required"),
                  std::function<std::string(const ConditionSpec&)>(operator_only)),
      },
      [](const Source& src, const YAML::Node& node, const std::string& path, ConditionSpec& out) {
        if (out.type.empty())
          src.fail(node, child_path(path, "type"),
                   "expected one of " + join_names(pde::condition_types()) + ", got nothing");
        if (out.type == "operator" && out.expression.empty())
          src.fail(node, child_path(path, "expression"),
                   "expected an expression of the outputs and their derivatives (operator conditions need it), "
                   "got nothing");
      }};
  return table;
}

// A periodic condition pairs the two faces of one spatial axis.
bool periodic_faces(const std::vector<std::string>& on, const std::vector<std::string>& inputs) {
  if (on.size() != 2) return false;
  for (const auto& input : inputs)
    if (input != "t" && std::count(on.begin(), on.end(), input + "_min") == 1 &&
        std::count(on.begin(), on.end(), input + "_max") == 1)
      return true;
  return false;
}

// Checks of a custom problem that involve several keys.
void finish_custom(const Source& src, const YAML::Node& node, const std::string& path, ProblemSpec& out) {
  const std::vector<std::pair<std::string, std::string>> required{
      {"inputs", "a non-empty list of input names"},
      {"domain", "a map of input: [a, b]"},
      {"equations", "a non-empty list of expressions"}};
  for (const auto& [key, what] : required)
    if (!node.IsMap() || !lookup(node, key))
      src.fail(node, child_path(path, key), "expected " + what + " (custom problems need it), got nothing");
  const YAML::Node domain = *lookup(node, "domain");
  for (const auto& input : out.inputs)
    if (!out.domain.count(input))
      src.fail(domain, child_path(path, "domain"), "expected an interval for input '" + input + "', got none");

  std::vector<std::string> parts;
  for (const auto& input : out.inputs) {
    parts.push_back(input + "_min");
    parts.push_back(input + "_max");
  }
  const auto exact = pde::exact_expressions(out);
  if (!exact.empty() && exact.size() != out.outputs.size())
    src.fail(*lookup(node, "exact"), child_path(path, "exact"),
             "expected one expression per output (" + std::to_string(out.outputs.size()) + ": " +
                 join_names(out.outputs) + "), got " + std::to_string(exact.size()));

  const auto conditions = lookup(node, "conditions");
  for (std::size_t i = 0; i < out.conditions.size(); ++i) {
    const ConditionSpec& c = out.conditions[i];
    const YAML::Node cnode = (*conditions)[i];
    const std::string cpath = index_path(child_path(path, "conditions"), i);
    for (std::size_t j = 0; j < c.on.size(); ++j) {
      if (std::find(parts.begin(), parts.end(), c.on[j]) != parts.end()) continue;
      const std::string hint = nearest_name(c.on[j], parts);
      src.fail(cnode["on"][j], index_path(child_path(cpath, "on"), j),
               "expected one of " + join_names(parts) + ", got '" + c.on[j] + "'" +
                   (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
    if (c.type == "periodic" && !periodic_faces(c.on, out.inputs))
      src.fail(cnode, child_path(cpath, "on"),
               "expected the two faces of one spatial input for a periodic condition, e.g. [x_min, x_max], got " +
                   (c.on.empty() ? std::string("none") : "[" + join_names(c.on) + "]"));
    if (!c.output.empty() && std::find(out.outputs.begin(), out.outputs.end(), c.output) == out.outputs.end())
      src.fail(cnode["output"], child_path(cpath, "output"),
               "expected one of the outputs " + join_names(out.outputs) + ", got '" + c.output + "'");
  }
}

void finish_problem(const Source& src, const YAML::Node& node, const std::string& path, ProblemSpec& out) {
  if (out.pde == custom) return finish_custom(src, node, path, out);
  for (const auto& [name, value] : catalog_entry(out.pde).default_params) out.params.emplace(name, value);
}

using CustomOnly = std::function<std::string(const ProblemSpec&)>;

}  // namespace

const Table<ProblemSpec>& problem_table() {
  static const Table<ProblemSpec> table{
      {
          leaf("pde", &ProblemSpec::pde, NameCodec{problem_names, "name from the problem catalog (`pinnkit list`), or custom"},
               "a catalog problem (`pinnkit list`), or `custom` for one written here"),
          params_field(),
          unknowns_field(),
          only_if(leaf("inputs", &ProblemSpec::inputs, ListCodec<IdentifierCodec>{{}, 1, true},
                       "custom: input names, e.g. `[x, t]`", "required"),
                  CustomOnly(custom_only)),
          only_if(domain_field(), CustomOnly(custom_only)),
          only_if(leaf("outputs", &ProblemSpec::outputs, ListCodec<IdentifierCodec>{{}, 1, true},
                       "custom: output names"),
                  CustomOnly(custom_only)),
          only_if(leaf("equations", &ProblemSpec::equations, ListCodec<TextCodec>{{"an expression"}, 1},
                       "custom: residual expressions, e.g. `u_t + u*u_x - nu*u_xx`", "required"),
                  CustomOnly(custom_only)),
          only_if(section_list("conditions", &ProblemSpec::conditions, condition_table,
                               "custom: boundary and initial conditions", 0, false),
                  CustomOnly(custom_only)),
          only_if(exact_field(), CustomOnly(custom_only)),
          // After inputs and outputs: a custom problem's names are checked before the file is read.
          observations_field(),
      },
      finish_problem};
  return table;
}

}  // namespace pinnkit::io::config
