#include "io/run_table.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "io/config_source.hpp"

namespace pinnkit::io {

namespace {

void flatten(const YAML::Node& node, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) flatten(kv.second, config::child_path(path, kv.first.as<std::string>()), out);
  } else if (node.IsSequence() && node.size() > 0 && node[0].IsMap()) {
    for (std::size_t i = 0; i < node.size(); ++i) flatten(node[i], config::index_path(path, i), out);
  } else {
    out.emplace_back(path, node.IsScalar() ? node.Scalar() : config::emit_flow(node));
  }
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// Errors and cost first (what a user compares), then the rest alphabetically.
std::vector<std::string> metric_order(const std::set<std::string>& names) {
  const std::vector<std::string> first{"rel_l2", "max_abs_err", "final_loss", "steps", "evaluations", "train_time_s"};
  std::vector<std::string> out;
  for (const auto& n : first)
    if (names.count(n)) out.push_back(n);
  for (const auto& n : names)
    if (std::find(first.begin(), first.end(), n) == first.end()) out.push_back(n);
  return out;
}

bool needs_csv_quotes(const std::string& s) { return s.find_first_of(",\"\n") != std::string::npos; }

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten_config(const std::string& config_yaml) {
  std::vector<std::pair<std::string, std::string>> out;
  if (config_yaml.empty()) return out;
  flatten(YAML::Load(config_yaml), "", out);
  return out;
}

RunTable run_table(const std::vector<ResultFile>& results, const std::vector<std::string>& names) {
  std::vector<std::map<std::string, std::string>> configs;
  std::vector<std::string> key_order;
  std::set<std::string> seen;
  std::set<std::string> metric_names;
  for (const auto& r : results) {
    std::map<std::string, std::string> flat;
    for (auto& [k, v] : flatten_config(r.provenance.config_yaml)) {
      if (k.rfind("output.", 0) == 0) continue;
      if (seen.insert(k).second) key_order.push_back(k);
      flat[k] = v;
    }
    configs.push_back(std::move(flat));
    for (const auto& [m, v] : r.metrics) metric_names.insert(m);
  }
  std::vector<std::string> differing;
  for (const auto& k : key_order) {
    std::set<std::string> values;
    for (const auto& c : configs) values.insert(c.count(k) ? c.at(k) : std::string("\x1f(absent)"));
    if (values.size() > 1) differing.push_back(k);
  }
  RunTable t;
  t.columns = {"run", "status"};
  t.columns.insert(t.columns.end(), differing.begin(), differing.end());
  const auto metrics = metric_order(metric_names);
  t.columns.insert(t.columns.end(), metrics.begin(), metrics.end());
  for (std::size_t i = 0; i < results.size(); ++i) {
    std::vector<std::string> row{names[i], to_string(results[i].status)};
    for (const auto& k : differing) row.push_back(configs[i].count(k) ? configs[i].at(k) : "");
    for (const auto& m : metrics) {
      const auto it = results[i].metrics.find(m);
      row.push_back(it == results[i].metrics.end() ? "" : number(it->second));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string format_text(const RunTable& t) {
  std::vector<std::size_t> width(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    width[c] = t.columns[c].size();
    for (const auto& r : t.rows) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t c = 0; c < cells.size(); ++c)
      s += cells[c] + (c + 1 < cells.size() ? std::string(width[c] - cells[c].size() + 2, ' ') : "");
    return s + "\n";
  };
  std::string out = line(t.columns);
  for (const auto& r : t.rows) out += line(r);
  return out;
}

std::string format_csv(const RunTable& t) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) s += ',';
      if (needs_csv_quotes(cells[c])) {
        s += '"';
        for (char ch : cells[c]) s += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        s += '"';
      } else {
        s += cells[c];
      }
    }
    return s + "\n";
  };
  std::string out = line(t.columns);
  for (const auto& r : t.rows) out += line(r);
  return out;
}

std::string format_markdown(const RunTable& t) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const auto& c : cells) {
      std::string e;
      for (char ch : c) e += ch == '|' ? std::string("\\|") : std::string(1, ch);
      s += " " + e + " |";
    }
    return s + "\n";
  };
  std::string out = line(t.columns) + "|";
  for (std::size_t c = 0; c < t.columns.size(); ++c) out += "---|";
  out += "\n";
  for (const auto& r : t.rows) out += line(r);
  return out;
}

}  // namespace pinnkit::io
