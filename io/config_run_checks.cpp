#include "io/config_run_checks.hpp"

#include "pde/catalog.hpp"

namespace pinnkit::io::config {

int known_input_dim(const pde::ProblemSpec& problem) {
  if (problem.pde == "custom") return static_cast<int>(problem.inputs.size());
  for (int dim = 1; dim <= 3; ++dim)
    if (problem.pde == "poisson" + std::to_string(dim) + "d") return dim;
  const pde::ProblemInfo* info = pde::find_problem(problem.pde);
  if (!info || !info->as_custom) return -1;
  std::map<std::string, double> params = info->default_params;
  for (const auto& [name, value] : problem.params) params[name] = value;
  return static_cast<int>(info->as_custom(params).inputs.size());
}

void check_evaluation_grid(const Source& src, const YAML::Node& root, RunSpec& out) {
  const int dim = known_input_dim(out.problem);
  if (dim <= 0) return;  // the evaluator checks what is not known here
  auto& grid = out.evaluation.grid;
  const auto evaluation = lookup(root, "evaluation");
  const auto given = evaluation && evaluation->IsMap() ? lookup(*evaluation, "grid") : std::nullopt;
  const std::size_t want = static_cast<std::size_t>(dim);
  if (!given) {
    if (!grid.empty()) grid.resize(want, grid.back());
    return;
  }
  if (grid.size() == want) return;
  const std::string problem = out.problem.pde == "custom" ? "" : " of the problem '" + out.problem.pde + "'";
  src.fail(*given, "evaluation.grid",
           "expected one entry per input" + problem + " (" + std::to_string(want) + "), got " +
               std::to_string(grid.size()) + " entries");
}

void check_default_output_name(const Source& src, const YAML::Node& root, const RunSpec& out) {
  if (!out.output.file.empty()) return;
  const std::string& name = out.name;
  bool plain = !name.empty() && name != "." && name != "..";
  for (char c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) plain = false;
  if (plain) return;
  const auto at = lookup(root, "name");
  src.fail(at ? *at : root, "name",
           "expected a plain name without '/' (it names the default output file results/<name>.h5; set "
           "output.file or -o to write elsewhere), got '" + name + "'");
}

}  // namespace pinnkit::io::config
