// summarize(): the text `pinnkit info RUN.h5` prints.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "io/result_reader.hpp"

namespace pinnkit::io {

namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// One config section on one line in YAML flow style, or "" when absent.
std::string config_line(const std::string& yaml, const std::string& key) {
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (!root.IsMap() || !root[key]) return "";
    YAML::Emitter out;
    out.SetMapFormat(YAML::Flow);
    out.SetSeqFormat(YAML::Flow);
    out << root[key];
    return out.c_str();
  } catch (const YAML::Exception&) {
    return "(config is not valid YAML)";
  }
}

void line(std::ostream& out, const std::string& label, const std::string& text) {
  if (text.empty()) return;
  out << label << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ') << text << "\n";
}

std::string status_banner(const ResultFile& r) {
  switch (r.status) {
    case RunStatus::completed: return "";
    case RunStatus::running:
      return "the run is still writing this file, or it crashed before recording how it ended";
    case RunStatus::diverged: return "training diverged; the parameters are those of the last log";
    case RunStatus::interrupted: return "the run was interrupted before it completed";
  }
  return "";
}

std::string history_text(const ResultFile& r) {
  const std::size_t rows = r.history_rows();
  if (rows == 0) return r.history.empty() ? "" : "0 rows";
  std::string text = std::to_string(rows) + (rows == 1 ? " row" : " rows");
  auto loss = r.history.find("loss");
  if (loss == r.history.end()) return text;
  auto step = r.history.find("step");
  auto at = [&](std::size_t i) {
    std::string s = number(loss->second[i]);
    if (step != r.history.end()) s += " (step " + number(step->second[i]) + ")";
    return s;
  };
  return text + ", loss " + at(0) + " -> " + at(rows - 1);
}

std::string model_text(const ModelData& model) {
  const auto trainable = std::count_if(model.blocks.begin(), model.blocks.end(),
                                       [](const ParamBlock& b) { return b.trainable; });
  return std::to_string(model.params.size()) + " in " + std::to_string(model.blocks.size()) +
         (model.blocks.size() == 1 ? " block (" : " blocks (") + std::to_string(trainable) +
         " trainable)";
}

std::string eval_text(const EvalData& eval) {
  return std::to_string(eval.point_count()) + " points, inputs " +
         joined(eval.input_names, ", ") + "; outputs " + joined(eval.output_names, ", ") +
         "; reference " + (eval.u_ref.empty() ? "no" : "yes");
}

std::string group_text(const GroupData& group) {
  std::vector<std::string> items;
  for (const auto& [key, value] : group.attrs) items.push_back(key + "=" + value);
  items.push_back(std::to_string(group.datasets.size()) +
                  (group.datasets.size() == 1 ? " dataset" : " datasets"));
  return joined(items, ", ");
}

}  // namespace

std::string summarize(const ResultFile& r) {
  std::ostringstream out;
  const Provenance& p = r.provenance;
  const std::string banner = status_banner(r);
  if (!banner.empty())
    out << "*** status " << upper(to_string(r.status)) << ": " << banner << " ***\n";
  line(out, "file", r.path);
  line(out, "status", to_string(r.status) + (r.message.empty() ? "" : " (" + r.message + ")"));
  line(out, "created", p.created + (r.finished.empty() ? "" : ", finished " + r.finished));
  line(out, "software", "pinnkit " + p.pinnkit_version +
                            (p.kokkos_version.empty() ? "" : ", " + p.kokkos_version) +
                            (p.real_type.empty() ? "" : ", real " + p.real_type));
  line(out, "backend", p.backend + ", " + std::to_string(p.threads) + " threads, seed " +
                           std::to_string(p.seed) +
                           (p.hostname.empty() ? "" : ", host " + p.hostname));
  line(out, "config", p.config_file);
  line(out, "problem", config_line(p.config_yaml, "problem"));
  line(out, "model", config_line(p.config_yaml, "model"));
  if (r.model) line(out, "parameters", model_text(*r.model));
  line(out, "history", history_text(r));
  std::vector<std::string> metrics;
  for (const auto& [name, value] : r.metrics) metrics.push_back(name + " " + number(value));
  line(out, "metrics", joined(metrics, ", "));
  if (r.eval) line(out, "eval", eval_text(*r.eval));
  for (const auto& [name, group] : r.groups) line(out, name, group_text(group));
  return out.str();
}

}  // namespace pinnkit::io
