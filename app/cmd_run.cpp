#include <csignal>
#include <optional>

#include "app/experiment.hpp"
#include "app/mpi_session.hpp"
#include "app/options.hpp"
#include "core/runtime.hpp"
#include "core/error.hpp"
#include "io/config.hpp"
#include "io/memory_estimate.hpp"
#include "io/output_claim.hpp"

namespace pinnkit::app {

namespace {
/// A path as a single-quoted YAML scalar, so that ':' or '#' in it survive.
std::string yaml_quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

/// SIGHUP (the terminal or ssh session went away) ends a run the way SIGTERM
/// does: raised again as SIGTERM, it reaches whatever handles SIGTERM at that
/// moment (during training: finish the step, write the file as interrupted).
extern "C" void hangup_as_terminate(int) { std::raise(SIGTERM); }

void forward_hangup_to_terminate() {
  const auto previous = std::signal(SIGHUP, hangup_as_terminate);
  if (previous == SIG_IGN) std::signal(SIGHUP, SIG_IGN);  // started under nohup: keep ignoring it
}
}  // namespace

int cmd_run(const Args& args) {
  Command cmd{"run",
              "pinnkit run CONFIG.yaml [-o OUT.h5] [--set key.path=value]... [--seed N] [--threads N] [--quiet]\n"
              "            [--resume RUN.h5]",
              "Trains the experiment a config describes and writes its result file (HDF5,\n"
              "plus an XDMF sidecar for ParaView). The file is written as OUT.h5.partial and\n"
              "renamed when the run ends; its status attribute says completed, diverged or\n"
              "interrupted (Ctrl-C, SIGTERM or SIGHUP finish the current step, then the final\n"
              "evaluation on every evaluation point - on a large evaluation.grid that takes a\n"
              "while - and write the file), after writing a checkpoint into /checkpoint;\n"
              "output.checkpoint_every writes one every N steps. --resume RUN.h5 continues a run\n"
              "from its checkpoint (same config; RUN.h5 may be the .partial of a killed run):\n"
              "the result ends bit-identical to an uninterrupted run on 1 thread.\n"
              "Exit codes: 0 completed, 2 bad input, 3 diverged, 130 interrupted, 1 internal error."};
  std::string config, output, resume;
  std::vector<std::string> overrides;
  long long seed = -1;
  int threads = 0;
  cmd.options.add_options()
      ("output,o", po::value(&output), "result file (default: output.file of the config)")
      ("set", po::value(&overrides)->composing(), "override a config value, e.g. --set training[0].steps=100")
      ("seed", po::value(&seed), "random seed (overrides the config's seed)")
      ("threads", po::value(&threads), "threads of the host backend, 1..512 (default: OMP_NUM_THREADS or all cores)")
      ("resume", po::value(&resume), "continue the run checkpointed in this result file")
      ("quiet,q", po::bool_switch(), "no progress on stderr");
  cmd.hidden.add_options()("config", po::value(&config)->required(), "config file");
  cmd.positional.add("config", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  // Command-line values go through the config's own validation, so they
  // appear in the resolved config stored in the result file.
  if (vm.count("seed") && seed < 0)
    throw InputError(input_message("command line", "--seed",
                                   "expected an integer >= 0, got " + std::to_string(seed)));
  if (vm.count("output") && output.empty())
    throw InputError(input_message("command line", "-o/--output", "expected a file name, got an empty string"));
  if (vm.count("seed")) overrides.push_back("seed=" + std::to_string(seed));
  if (vm.count("output")) overrides.push_back("output.file=" + yaml_quoted(output));
  return run_checked(io::load_config(config, overrides), vm.count("threads") ? std::optional<int>(threads) : std::nullopt,
                     RunOptions{vm["quiet"].as<bool>(), resume});
}

int run_checked(const io::RunSpec& spec, std::optional<int> threads, const RunOptions& options) {
  MpiSession mpi;  // several ranks under mpirun, else nothing
  // Before anything is built, allocated or written: sizes this machine cannot
  // hold, and output paths the run could not write at the end or must not
  // replace (the writer checks again and claims the file).
  io::check_memory(spec);
  if (mpi.rank() == 0) io::check_output_paths(spec.output.file, spec.output.xdmf, spec.source_file);
  forward_hangup_to_terminate();
  Runtime runtime(threads);
  RunOptions o = options;
  o.comm = mpi.communicator();
  o.quiet = options.quiet || mpi.rank() != 0;
  return run_experiment(spec, o);
}

}  // namespace pinnkit::app
