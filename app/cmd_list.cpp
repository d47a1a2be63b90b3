#include <functional>
#include <iostream>
#include <map>

#include "adapters/adapter_registry.hpp"
#include "app/options.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/config.hpp"
#include "models/registries.hpp"
#include "pde/catalog.hpp"
#include "pde/problem_spec.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/schedule.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::app {

namespace {

/// "<family> (<config key>):" then one "  name  description" line per entry.
template <class R>
void print_registry(const R& registry) {
  std::size_t width = 0;
  for (const auto& e : registry.entries()) width = std::max(width, e.name.size());
  std::cout << registry.family() << " (" << registry.key() << "):\n";
  for (const auto& e : registry.entries())
    std::cout << "  " << e.name << std::string(width + 2 - e.name.size(), ' ') << e.description << "\n";
}

void print_problems() {
  std::cout << "problems (problem.pde, with problem.params and their defaults):\n";
  for (const auto& p : pde::catalog()) {
    std::cout << "  " << p.name;
    for (const auto& [k, v] : p.default_params) std::cout << "  " << k << "=" << v;
    std::cout << "\n      " << p.description << "\n";
  }
}

void print_conditions() {
  std::cout << "conditions (problem.conditions[].type): " << join(pde::condition_types(), " ") << "\n";
}

}  // namespace

int cmd_list(const Args& args) {
  // In the order `pinnkit list` prints them.
  const std::vector<std::pair<std::string, std::function<void()>>> lists{
      {"problems", print_problems},
      {"models", [] { print_registry(models::model_registry()); }},
      {"activations", [] { print_registry(models::activation_registry()); }},
      {"initialisers", [] { print_registry(models::initializer_registry()); }},
      {"adapters", [] { print_registry(adapters::adapter_registry()); }},
      {"optimizers", [] { print_registry(solvers::optimizer_registry()); }},
      {"schedules", [] { print_registry(solvers::schedule_registry()); }},
      {"samplers", [] { print_registry(solvers::sampler_registry()); }},
      {"conditions", print_conditions},
  };
  // Asked for by name only: the full key table is long, and docs/config.md
  // embeds it verbatim (scripts/update_config_doc.sh refreshes it from here).
  const std::pair<std::string, std::function<void()>> keys{
      "keys", [] { std::cout << io::config_reference_markdown(); }};
  std::vector<std::string> names;
  for (const auto& l : lists) names.push_back(l.first);
  Command cmd{"list", "pinnkit list [WHAT]",
              "Lists what a config may name, with a line on each. WHAT is one of\n" + join(names) +
                  "; without it, everything.\n'keys' prints every config key as the markdown table of docs/config.md."};
  std::string what;
  cmd.hidden.add_options()("what", po::value(&what), "category");
  cmd.positional.add("what", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  if (what == keys.first) {
    keys.second();
    return 0;
  }
  for (const auto& [name, print] : lists)
    if (what.empty() || what == name) {
      print();
      if (!what.empty()) return 0;
    }
  if (what.empty()) return 0;
  throw InputError(input_message("command line", "pinnkit list", "expected one of " + join(names) + ", " + keys.first + ", got '" + what + "'"));
}

}  // namespace pinnkit::app
