#pragma once
/// \brief YAML config files -> a validated RunSpec, and back.
///
/// Every problem with a config (bad YAML, unknown key, wrong type, value out
/// of range, unknown name) throws pinnkit::InputError with a message
/// "FILE:LINE: key.path: expected X, got Y" (unknown keys and names come with
/// a "did you mean" suggestion); a problem in a --set override is reported as
/// "--set key.path=value: ...". The accepted keys are listed in docs/config.md,
/// which config_reference() keeps honest.
#include <string>
#include <vector>

#include "io/run_spec.hpp"

namespace pinnkit::io {

/// Reads the YAML file at `path`, applies `overrides` ("key.path=value", the
/// value parsed as YAML), validates every key and fills the defaults.
/// RunSpec::source_file is set to `path`.
RunSpec load_config(const std::string& path, const std::vector<std::string>& overrides = {});

/// Same as load_config from text; `source_name` names it in error messages
/// and becomes RunSpec::source_file.
RunSpec parse_config(const std::string& yaml_text, const std::string& source_name,
                     const std::vector<std::string>& overrides = {});

/// The resolved config as YAML: every key with its value, in schema order.
/// parse_config(to_yaml(spec), ...) gives back an equal spec.
std::string to_yaml(const RunSpec& spec);

/// One row of the config reference (docs/config.md).
struct ConfigKey {
  std::string path;           ///< "model.hidden", "training[].lr", "loss.weights.pde"
  std::string type;           ///< what it accepts: "list of positive integers"
  std::string default_value;  ///< as YAML, or a phrase ("catalog defaults")
  std::string meaning;        ///< one line
};

/// Every config key, in schema order (sections included).
std::vector<ConfigKey> config_reference();

/// config_reference() as the rows of a Markdown table ("| `path` | type | default | meaning |").
std::string config_reference_markdown();

}  // namespace pinnkit::io
