#include "io/config_overrides.hpp"

#include "core/error.hpp"

namespace pinnkit::io::config {

namespace {

struct Segment {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

[[noreturn]] void bad_override(const std::string& text, const std::string& what) {
  throw InputError("--set " + text + ": " + what);
}

bool digits_only(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<Segment> parse_path(const std::string& text, const std::string& path) {
  const std::string expected = "expected key.path=value with keys separated by '.' and list indices as [i]";
  std::vector<Segment> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string token = path.substr(start, dot - start);
    const std::size_t bracket = std::min(token.find('['), token.size());
    const std::string name = token.substr(0, bracket);
    if (name.empty() && (bracket == token.size() || segments.empty()))
      bad_override(text, expected + ", got an empty key in '" + path + "'");
    if (!name.empty()) {
      if (digits_only(name)) segments.push_back({true, "", std::stoul(name)});
      else segments.push_back({false, name, 0});
    }
    for (std::size_t i = bracket; i < token.size();) {
      const std::size_t close = token.find(']', i);
      if (token[i] != '[' || close == std::string::npos || !digits_only(token.substr(i + 1, close - i - 1)))
        bad_override(text, expected + ", got '" + token + "'");
      segments.push_back({true, "", std::stoul(token.substr(i + 1, close - i - 1))});
      i = close + 1;
    }
    start = dot + 1;
  }
  return segments;
}

YAML::Node parse_value(const std::string& text, const std::string& value) {
  try {
    return YAML::Load(value);
  } catch (const YAML::ParserException& e) {
    bad_override(text, "expected a YAML value after '=', got invalid YAML (" + e.msg + ")");
  }
}

OverrideOrigin apply_one(YAML::Node& root, const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) bad_override(text, "expected key.path=value, got '" + text + "'");
  const std::vector<Segment> segments = parse_path(text, text.substr(0, eq));
  const YAML::Node value = parse_value(text, text.substr(eq + 1));
  if (segments.front().is_index) bad_override(text, "expected a key first, got an index");

  OverrideOrigin origin{text, "", {}};
  YAML::Node parent;   // holds `cur` under parent_key, to wrap a map into a list
  std::string parent_key;
  YAML::Node cur(root);  // copies share the node: cur.reset() moves, assignment would overwrite
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const Segment& seg = segments[s];
    const bool last = s + 1 == segments.size();
    if (seg.is_index) {
      if (cur.IsMap() && seg.index == 0 && !parent_key.empty()) {
        YAML::Node list(YAML::NodeType::Sequence);
        list.push_back(YAML::Clone(cur));
        parent[parent_key] = list;
        cur.reset(parent[parent_key]);
      }
      if (!cur.IsSequence())
        bad_override(text, origin.path + ": expected a list to index, got " + describe(cur));
      if (seg.index > cur.size())
        bad_override(text, origin.path + ": expected an index up to " + std::to_string(cur.size()) +
                               " (the list has " + std::to_string(cur.size()) + " entries), got " +
                               std::to_string(seg.index));
      origin.path = index_path(origin.path, seg.index);
      if (seg.index == cur.size()) {
        cur.push_back(last ? value : YAML::Node(YAML::NodeType::Map));
        origin.created.push_back(origin.path);
      } else if (last) {
        cur[seg.index] = value;
      }
      if (!last) {
        YAML::Node next = cur[seg.index];
        parent.reset(cur);
        parent_key.clear();  // entries of lists are not wrapped
        cur.reset(next);
      }
      continue;
    }
    if (cur.IsSequence())
      bad_override(text, origin.path + ": expected an index [i] into the list, got key '" + seg.key + "'");
    if (!cur.IsMap() && !cur.IsNull())
      bad_override(text, origin.path + ": expected a map, got " + describe(cur));
    origin.path = child_path(origin.path, seg.key);
    YAML::Node next = cur[seg.key];
    if (!next.IsDefined()) origin.created.push_back(origin.path);
    if (last) {
      next = value;
      break;
    }
    if (!next.IsDefined() || next.IsNull())
      next = YAML::Node(segments[s + 1].is_index ? YAML::NodeType::Sequence : YAML::NodeType::Map);
    parent.reset(cur);
    parent_key = seg.key;
    cur.reset(next);
  }
  return origin;
}

}  // namespace

std::vector<OverrideOrigin> apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides) {
  std::vector<OverrideOrigin> origins;
  for (const auto& text : overrides) origins.push_back(apply_one(root, text));
  return origins;
}

}  // namespace pinnkit::io::config
