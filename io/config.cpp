#include "io/config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/config_overrides.hpp"
#include "io/config_schema.hpp"

namespace pinnkit::io {

namespace {

YAML::Node load_document(const std::string& text, const std::string& source_name) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(source_name + ":" + std::to_string(e.mark.line + 1) + ": expected valid YAML, got a syntax error at column " +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (documents.empty() || documents.front().IsNull())
    throw InputError(source_name + ": expected a map of config keys, got an empty file");
  if (documents.size() > 1)
    throw InputError(source_name + ": expected one YAML document, got " + std::to_string(documents.size()));
  const YAML::Node root = documents.front();
  if (!root.IsMap())
    throw InputError(source_name + ":" + std::to_string(root.Mark().line + 1) +
                     ": expected a map of config keys at the top level, got " + config::describe(root));
  return root;
}

}  // namespace

RunSpec parse_config(const std::string& yaml_text, const std::string& source_name,
                     const std::vector<std::string>& overrides) {
  YAML::Node root = load_document(yaml_text, source_name);
  const config::Source source(source_name, config::apply_overrides(root, overrides));
  RunSpec spec = config::read_section(source, root, "", config::run_table());
  spec.source_file = source_name;
  return spec;
}

RunSpec load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": expected a config file, got a directory");
  std::ifstream in(path);
  if (!in) throw InputError(path + ": expected a readable config file, got " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path, overrides);
}

std::string to_yaml(const RunSpec& spec) {
  YAML::Emitter out;
  out << config::write_section(spec, config::run_table());
  return std::string(out.c_str()) + "\n";
}

std::vector<ConfigKey> config_reference() {
  std::vector<ConfigKey> rows;
  config::document_section(config::run_table(), "", rows);
  return rows;
}

std::string config_reference_markdown() {
  std::string table = "| key | accepts | default | meaning |\n|---|---|---|---|\n";
  for (const auto& row : config_reference())
    table += "| `" + row.path + "` | " + row.type + " | " + row.default_value + " | " + row.meaning + " |\n";
  return table;
}

}  // namespace pinnkit::io
