#include <iostream>

#include "app/experiment.hpp"
#include "app/options.hpp"
#include "app/run_guards.hpp"
#include "core/runtime.hpp"
#include "io/config.hpp"
#include "io/memory_estimate.hpp"

namespace pinnkit::app {

int cmd_validate(const Args& args) {
  Command cmd{"validate", "pinnkit validate CONFIG.yaml [--set key.path=value]...",
              "Parses and checks a config without running it: builds the problem (expressions,\n"
              "data files), the model (init_from, adapters, freeze) and the training points,\n"
              "then prints the resolved config (every key, defaults filled in) on stdout.\n"
              "Exit code 2 names the first problem."};
  std::string config;
  std::vector<std::string> overrides;
  cmd.options.add_options()("set", po::value(&overrides)->composing(),
                            "override a config value, e.g. --set model.hidden=[32,32]");
  cmd.hidden.add_options()("config", po::value(&config)->required(), "config file");
  cmd.positional.add("config", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  const io::RunSpec spec = io::load_config(config, overrides);
  io::check_memory(spec);  // before building allocates the points
  {
    const Runtime runtime(std::nullopt);
    const Experiment built(spec);
    const std::string warning = check_trainable(spec, built.store);
    if (!warning.empty()) std::cerr << "pinnkit: warning: " << warning << "\n";
  }
  std::cout << "# " << config << ": valid\n" << io::to_yaml(spec);
  return 0;
}

}  // namespace pinnkit::app
