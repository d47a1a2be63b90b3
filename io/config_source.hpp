#pragma once
/// \brief Error reporting and typed scalar reading for the config parser
/// (internal to io/): every failure becomes a pinnkit::InputError that names
/// where the bad value came from (file and line, or the --set override), the
/// key path and what was expected.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pinnkit::io::config {

/// One applied --set override, kept so that errors in what it wrote blame it.
struct OverrideOrigin {
  std::string text;                  ///< as the user wrote it: "model.hidden=[32,32]"
  std::string path;                  ///< canonical key path: "model.hidden"
  std::vector<std::string> created;  ///< key paths of map entries it had to create
};

/// Where config nodes come from; turns (node, key path, message) into an error.
class Source {
 public:
  explicit Source(std::string file, std::vector<OverrideOrigin> overrides = {});

  const std::string& file() const { return file_; }

  /// Throws InputError "FILE:LINE: PATH: WHAT" (the line from `at` when it has
  /// one), or "--set TEXT: PATH: WHAT" when an override wrote that path.
  [[noreturn]] void fail(const YAML::Node& at, const std::string& path, const std::string& what) const;

 private:
  const OverrideOrigin* origin_of(const std::string& path) const;

  std::string file_;
  std::vector<OverrideOrigin> overrides_;
};

/// "a" + "b" -> "a.b" ("" + "b" -> "b").
std::string child_path(const std::string& parent, const std::string& key);
/// "a" + 3 -> "a[3]".
std::string index_path(const std::string& parent, std::size_t index);
/// True when `path` is `prefix` or lies below it ("a.b[2]" is below "a.b").
bool is_under(const std::string& path, const std::string& prefix);

/// What a node holds, for the "got ..." part of a message: -4, 'abc', a map, a list, null.
std::string describe(const YAML::Node& node);

/// Shortest decimal text that reads back as exactly `value`.
std::string format_real(double value);
/// A node as flow-style YAML text (for defaults in the reference table).
std::string emit_flow(const YAML::Node& node);

// Typed readers. `expectation` is the phrase after "expected" ("a positive
// integer"); the caller checks ranges, these check only the YAML type.
long long read_integer(const Source& src, const YAML::Node& node, const std::string& path,
                       const std::string& expectation);
std::uint64_t read_unsigned(const Source& src, const YAML::Node& node, const std::string& path,
                            const std::string& expectation);
/// Rejects .inf, .nan and overflow: every number in a config must be finite.
double read_finite(const Source& src, const YAML::Node& node, const std::string& path,
                   const std::string& expectation);
bool read_bool(const Source& src, const YAML::Node& node, const std::string& path);
/// Any scalar, as text (expressions and names; `value: 0` reads as "0").
std::string read_text(const Source& src, const YAML::Node& node, const std::string& path,
                      const std::string& expectation);

/// The text of `path`; InputError "PATH: expected a readable WHAT, got ..." when it cannot be read.
std::string read_file_text(const std::string& path, const std::string& what);
/// Parses a one-document YAML map (checked to be UTF-8 text, not too deeply
/// nested); errors name `source_name` and the line.
YAML::Node load_document(const std::string& text, const std::string& source_name);

}  // namespace pinnkit::io::config
