#include "io/config_table.hpp"

#include <set>

namespace pinnkit::io::config {

std::optional<YAML::Node> lookup(const YAML::Node& map, const std::string& key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return std::nullopt;
}

void check_map_keys(const Source& src, const YAML::Node& node, const std::string& path,
                    const std::vector<std::string>& known) {
  if (!node.IsMap()) src.fail(node, path, "expected a map, got " + describe(node));
  std::set<std::string> seen;
  const std::string where = path.empty() ? "at the top level" : "in " + path;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar())
      src.fail(it->first, path, "expected plain keys " + where + ", got " + describe(it->first) + " as a key");
    const std::string& key = it->first.Scalar();
    const std::string key_path = child_path(path, key);
    if (!seen.insert(key).second)
      src.fail(it->first, key_path, "expected each key once " + where + ", got '" + key + "' twice");
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string hint = did_you_mean(key, known);
    src.fail(it->first, key_path,
             "unknown key '" + key + "' " + where + (hint.empty() ? ", expected one of " + join_names(known) : hint));
  }
}

std::string without_article(const std::string& expectation) {
  for (const char* article : {"a ", "an "}) {
    const std::string a = article;
    if (expectation.compare(0, a.size(), a) == 0) return expectation.substr(a.size());
  }
  return expectation;
}

}  // namespace pinnkit::io::config
