// `pinnkit`: dispatches to the subcommands and maps failures to exit codes:
// 0 ok, 1 internal error, 2 bad input, 3 training diverged.
#include <pinnkit/version.hpp>

#include <Kokkos_Core.hpp>
#include <exception>
#include <iostream>
#include <map>
#include <new>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/real.hpp"

namespace pinnkit::app {

std::string usage() {
  return "pinnkit " PINNKIT_VERSION
         " - physics-informed neural networks (MLP, KAN) with Kokkos\n\n"
         "Usage:\n"
         "  pinnkit run CONFIG.yaml [-o OUT.h5] [--set key.path=value]... [--seed N] [--threads N] [--quiet]\n"
         "  pinnkit validate CONFIG.yaml [--set key.path=value]...   check a config, print it resolved\n"
         "  pinnkit info RUN.h5                                      summarise a result file\n"
         "  pinnkit sweep SWEEP.yaml [--local -j N | --index I | --slurm [--submit]]   runs of a grid/zip/seeds\n"
         "  pinnkit collect DIR_OR_FILE... [--csv|--markdown]        one table of many runs\n"
         "  pinnkit list [problems|models|activations|initialisers|adapters|optimizers|schedules|samplers|conditions|keys]\n"
         "  pinnkit --version | --help | COMMAND --help\n\n"
         "Exit codes: 0 ok, 1 internal error, 2 bad input (config, command line, files), 3 training diverged.\n";
}

}  // namespace pinnkit::app

namespace {

std::string version_text() {
  const int v = KOKKOS_VERSION;
  return std::string("pinnkit ") + PINNKIT_VERSION + " (" + pinnkit::real_name + ", Kokkos " +
         std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100) +
         ")\n";
}

int dispatch(int argc, char** argv) {
  using namespace pinnkit::app;
  const std::map<std::string, int (*)(const Args&)> commands{
      {"run", cmd_run}, {"validate", cmd_validate}, {"info", cmd_info}, {"list", cmd_list}, {"sweep", cmd_sweep}, {"collect", cmd_collect}};
  if (argc < 2) {
    std::cerr << usage();
    return pinnkit::exit_bad_input;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    std::cout << usage();
    return pinnkit::exit_ok;
  }
  if (first == "--version" || first == "-V") {
    std::cout << version_text();
    return pinnkit::exit_ok;
  }
  const auto it = commands.find(first);
  if (it == commands.end())
    throw pinnkit::InputError(pinnkit::input_message(
        "command line", "", "unknown command '" + first + "'; expected one of run, validate, info, list, sweep, collect (see 'pinnkit --help')"));
  return it->second(Args(argv + 2, argv + argc));
}

/// An allocation that failed despite the estimate (pinnkit run checks the
/// config's memory first): exit 1, but not reported as a bug.
int out_of_memory(const char* what) {
  std::cerr << "pinnkit: error: out of memory: " << what << "\n"
            << "The run needs more memory than this machine could give it; reduce sampling.interior, "
               "model.hidden (or model.kan_hidden) or evaluation.grid, or use a machine with more memory.\n";
  return pinnkit::exit_internal;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (const pinnkit::InputError& e) {
    std::cerr << "pinnkit: error: " << e.what() << "\n";
    return pinnkit::exit_bad_input;
  } catch (const pinnkit::ResourceError& e) {
    std::cerr << "pinnkit: error: " << e.what() << "\n";
    return pinnkit::exit_internal;
  } catch (const std::bad_alloc& e) {
    // Kokkos' allocation failures derive from std::bad_alloc too.
    return out_of_memory(e.what());
  } catch (const std::exception& e) {
    // Kokkos reports a failed View allocation as a std::runtime_error.
    if (std::string(e.what()).find("failed to allocate") != std::string::npos) {
      return out_of_memory(e.what());
    }
    std::cerr << "pinnkit: internal error: " << e.what() << "\n"
              << "This is a bug in pinnkit; please report it with the config that triggered it.\n";
    return pinnkit::exit_internal;
  }
}
