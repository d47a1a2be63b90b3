#include <iostream>
#include <map>

#include "app/options.hpp"
#include "core/error.hpp"
#include "models/model_spec.hpp"
#include "pde/catalog.hpp"
#include "pde/problem_spec.hpp"
#include "solvers/training_spec.hpp"

namespace pinnkit::app {

namespace {

void print_names(const std::string& title, const std::vector<std::string>& names) {
  std::cout << title << ":";
  for (const auto& n : names) std::cout << " " << n;
  std::cout << "\n";
}

void print_problems() {
  std::cout << "problems (problem.pde, with problem.params and their defaults):\n";
  for (const auto& p : pde::catalog()) {
    std::cout << "  " << p.name;
    for (const auto& [k, v] : p.default_params) std::cout << "  " << k << "=" << v;
    std::cout << "\n      " << p.description << "\n";
  }
}

}  // namespace

int cmd_list(const Args& args) {
  Command cmd{"list", "pinnkit list [WHAT]",
              "Lists what a config may name. WHAT is one of problems, models, activations,\n"
              "optimizers, schedules, samplers, conditions; without it, everything."};
  std::string what;
  cmd.hidden.add_options()("what", po::value(&what), "category");
  cmd.positional.add("what", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;

  const std::map<std::string, std::pair<std::string, const std::vector<std::string>*>> lists{
      {"models", {"models (model.type)", &models::model_types()}},
      {"activations", {"activations (model.activation)", &models::activation_names()}},
      {"optimizers", {"optimizers (training[].optimizer)", &solvers::optimizer_names()}},
      {"schedules", {"schedules (training[].schedule.type)", &solvers::schedule_types()}},
      {"samplers", {"samplers (sampling.method)", &solvers::sampling_methods()}},
      {"conditions", {"conditions (problem.conditions[].type)", &pde::condition_types()}},
  };
  if (what.empty() || what == "problems") print_problems();
  if (what == "problems") return 0;
  if (what.empty()) {
    for (const auto& [key, entry] : lists) print_names(entry.first, *entry.second);
    return 0;
  }
  const auto it = lists.find(what);
  if (it == lists.end())
    throw InputError(input_message("command line", "pinnkit list",
                                   "expected one of problems, models, activations, optimizers, "
                                   "schedules, samplers, conditions, got '" + what + "'"));
  print_names(it->second.first, *it->second.second);
  return 0;
}

}  // namespace pinnkit::app
