#include "io/config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/depthguard.h>

#include "core/error.hpp"
#include "io/config_overrides.hpp"
#include "io/config_schema.hpp"

namespace pinnkit::io {

namespace {

/// Length of the valid UTF-8 sequence at s[i], or 0 (overlong forms,
/// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else return 0;
  if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

std::string hex_byte(unsigned char c) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

/// The config is stored in every result file as a UTF-8 string, and read
/// back by h5py's asstr(): a NUL byte or invalid UTF-8 (a Latin-1 file, a
/// binary file) is refused here, naming the line and column, instead of
/// being stored unreadable. `where` is "FILE" (lines are counted) or the
/// "--set ..." text of an override (no lines).
void check_text(const std::string& text, const std::string& where, bool count_lines) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::string at = count_lines ? where + ":" + std::to_string(line) : where;
    const std::string col = " at column " + std::to_string(column);
    if (c == 0)
      throw InputError(at + ": expected a text file, got a NUL byte" + col + " (is it a binary file?)");
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0)
      throw InputError(at + ": expected UTF-8 text, got the byte " + hex_byte(c) + col +
                       " (the config is stored in the result file as UTF-8; save it as UTF-8)");
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
}


}  // namespace

namespace config {

YAML::Node load_document(const std::string& text, const std::string& source_name) {
  check_text(text, source_name, true);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(source_name + ":" + std::to_string(e.mark.line + 1) +
                     ": expected YAML nested a few levels deep (a pinnkit config needs at most 5), got nesting "
                     "deeper than " + std::to_string(e.depth() - 1) + " levels at column " +
                     std::to_string(e.mark.column + 1));
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


std::string read_file_text(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": expected " + what + ", got a directory");
  std::ifstream in(path);
  if (!in) throw InputError(path + ": expected a readable " + what + ", got " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace config

RunSpec parse_config(const std::string& yaml_text, const std::string& source_name,
                     const std::vector<std::string>& overrides) {
  YAML::Node root = config::load_document(yaml_text, source_name);
  for (const std::string& o : overrides) check_text(o, "--set", false);
  const config::Source source(source_name, config::apply_overrides(root, overrides));
  RunSpec spec = config::read_section(source, root, "", config::run_table());
  spec.source_file = source_name;
  return spec;
}

RunSpec load_config(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_config(config::read_file_text(path, "config file"), path, overrides);
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
