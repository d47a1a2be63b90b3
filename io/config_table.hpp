#pragma once
/// \brief The table-driven schema machinery (internal to io/): a Table<S>
/// lists the keys of one config section, and each Field knows how to read,
/// write and document its key, so that parsing, validation, to_yaml and the
/// reference in docs/config.md come from one place.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "io/config.hpp"
#include "io/config_codecs.hpp"
#include "io/did_you_mean.hpp"
#include "core/strings.hpp"

namespace pinnkit::io::config {

template <class S>
struct Field {
  std::string key;
  /// Reads the value node into `out` (an Undefined node when the key is
  /// absent and read_when_absent); the earlier keys of the table are already read.
  std::function<void(const Source&, const YAML::Node& value, const std::string& path, S& out)> read;
  std::function<YAML::Node(const S&)> write;
  std::function<void(const std::string& path, std::vector<ConfigKey>&)> document;
  /// When set and it returns a message, the key does not belong in this
  /// section as configured so far (e.g. `inputs` on a catalog problem): it is
  /// rejected on reading and left out on writing.
  std::function<std::string(const S&)> misplaced;
  /// Sections are read even when absent (as empty maps), so that their
  /// cross-key defaults are filled in.
  bool read_when_absent = false;
};

template <class S>
struct Table {
  using Finish = std::function<void(const Source&, const YAML::Node& section, const std::string& path, S& out)>;

  Table(std::vector<Field<S>> f, Finish fin = {}) : fields(std::move(f)), finish(std::move(fin)) {}

  std::vector<Field<S>> fields;
  /// Cross-key checks and defaults that depend on other keys, after all fields are read.
  Finish finish;

  std::vector<std::string> keys() const {
    std::vector<std::string> k;
    for (const auto& f : fields) k.push_back(f.key);
    return k;
  }
};

/// The value of `key` in a map node, if present.
std::optional<YAML::Node> lookup(const YAML::Node& map, const std::string& key);

/// Rejects a non-map, duplicate keys and keys outside `known` (with a suggestion).
void check_map_keys(const Source& src, const YAML::Node& node, const std::string& path,
                    const std::vector<std::string>& known);

/// Reads a section; an absent or null node means "all defaults".
template <class S>
S read_section(const Source& src, const YAML::Node& node, const std::string& path, const Table<S>& table) {
  const bool present = node.IsDefined() && !node.IsNull();
  if (present) check_map_keys(src, node, path, table.keys());
  S out{};
  for (const auto& f : table.fields) {
    const auto value = present ? lookup(node, f.key) : std::nullopt;
    if (!value && !f.read_when_absent) continue;
    const std::string key_path = child_path(path, f.key);
    if (value && f.misplaced) {
      const std::string why = f.misplaced(out);
      if (!why.empty()) src.fail(*value, key_path, why);
    }
    f.read(src, value ? *value : YAML::Node(YAML::NodeType::Undefined), key_path, out);
  }
  if (table.finish) table.finish(src, node, path, out);
  return out;
}

template <class S>
YAML::Node write_section(const S& s, const Table<S>& table) {
  YAML::Node node(YAML::NodeType::Map);
  for (const auto& f : table.fields)
    if (!f.misplaced || f.misplaced(s).empty()) node[f.key] = f.write(s);
  return node;
}

template <class S>
void document_section(const Table<S>& table, const std::string& path, std::vector<ConfigKey>& rows) {
  for (const auto& f : table.fields) f.document(child_path(path, f.key), rows);
}

/// "a positive integer" -> "positive integer": the docs' type column.
std::string without_article(const std::string& expectation);

template <class Codec>
std::string docs_type(const Codec& codec) {
  if constexpr (std::is_same_v<Codec, NameCodec>)
    if (!codec.docs_text.empty()) return codec.docs_text;
  return without_article(codec.expectation());
}

/// A plain key: member `m` of S read and written with `codec`.
template <class S, class T, class Codec>
Field<S> leaf(std::string key, T S::*m, Codec codec, std::string meaning, std::string default_text = "") {
  Field<S> f;
  f.key = key;
  f.read = [m, codec](const Source& src, const YAML::Node& v, const std::string& path, S& out) {
    out.*m = codec.read(src, v, path);
  };
  f.write = [m, codec](const S& s) { return codec.write(s.*m); };
  f.document = [m, codec, meaning, default_text](const std::string& path, std::vector<ConfigKey>& rows) {
    std::string def = default_text;
    if (def.empty()) {
      const S defaults{};
      def = "`" + emit_flow(codec.write(defaults.*m)) + "`";
    }
    rows.push_back({path, docs_type(codec), def, meaning});
  };
  return f;
}

/// A nested section: member `m` of S, itself described by a table.
template <class S, class T>
Field<S> section(std::string key, T S::*m, const Table<T>& (*table)(), std::string meaning) {
  Field<S> f;
  f.key = key;
  f.read = [m, table](const Source& src, const YAML::Node& v, const std::string& path, S& out) {
    out.*m = read_section(src, v, path, table());
  };
  f.write = [m, table](const S& s) { return write_section(s.*m, table()); };
  f.read_when_absent = true;
  f.document = [table, meaning](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, "map", "", meaning});
    document_section(table(), path, rows);
  };
  return f;
}

/// A list of sections (training stages, conditions). With `single_map_is_one`
/// a map stands for a list of one; a list must have at least `min_size` entries.
template <class S, class T>
Field<S> section_list(std::string key, std::vector<T> S::*m, const Table<T>& (*table)(), std::string meaning,
                      std::size_t min_size, bool single_map_is_one) {
  Field<S> f;
  f.key = key;
  f.read = [m, table, min_size, single_map_is_one](const Source& src, const YAML::Node& v,
                                                     const std::string& path, S& out) {
    std::vector<T> items;
    if (single_map_is_one && v.IsMap()) {
      items.push_back(read_section(src, v, path, table()));
    } else {
      const std::string expected = std::string(min_size > 0 ? "expected a non-empty list" : "expected a list") +
                                   (single_map_is_one ? " of maps (or one map)" : " of maps");
      if (!v.IsSequence() || v.size() < min_size) src.fail(v, path, expected + ", got " + describe(v));
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string item_path = index_path(path, i);
        if (!v[i].IsMap()) src.fail(v[i], item_path, "expected a map, got " + describe(v[i]));
        items.push_back(read_section(src, v[i], item_path, table()));
      }
    }
    out.*m = std::move(items);
  };
  f.write = [m, table](const S& s) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& item : s.*m) list.push_back(write_section(item, table()));
    if ((s.*m).empty()) list.SetStyle(YAML::EmitterStyle::Flow);
    return list;
  };
  f.document = [table, meaning, single_map_is_one](const std::string& path, std::vector<ConfigKey>& rows) {
    rows.push_back({path, single_map_is_one ? "list of maps, or one map" : "list of maps", "", meaning});
    document_section(table(), path + "[]", rows);
  };
  return f;
}

/// Restricts a field to sections where `why_not(s)` is empty.
template <class S>
Field<S> only_if(Field<S> f, std::function<std::string(const S&)> why_not) {
  f.misplaced = std::move(why_not);
  return f;
}

/// Restricts a field to the registry entries that list its key among their
/// capabilities' keys (core/registry.hpp); `selector` is the member of S that
/// names the entry (`optimizer`, `type`) and `what` how messages call it.
/// Under another entry the key is rejected: "belongs to optimizer lbfgs,
/// expected no such key with optimizer: adam".
template <class S, class R>
Field<S> owned_by(Field<S> f, const R& (*reg)(), std::string S::*selector, std::string what) {
  const std::string key = f.key;
  f.misplaced = [reg, selector, key, what](const S& s) -> std::string {
    const auto owners = reg().owners_of(key);
    if (owners.empty() || std::find(owners.begin(), owners.end(), s.*selector) != owners.end()) return "";
    return "belongs to " + what + " " + join(owners, " or ") + ", expected no such key with " + what + ": " +
           s.*selector;
  };
  return f;
}

}  // namespace pinnkit::io::config
