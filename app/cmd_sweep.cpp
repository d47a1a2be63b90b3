#include <algorithm>
#include <cctype>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/experiment.hpp"
#include "app/options.hpp"
#include "app/slurm_script.hpp"
#include "app/sweep_local.hpp"
#include "app/sweep_plan.hpp"
#include "core/error.hpp"
#include "io/checkpoint.hpp"
#include "io/config.hpp"

namespace pinnkit::app {

namespace fs = std::filesystem;

namespace {

void print_plan(const std::vector<PlannedRun>& runs, const io::SweepSpec& spec) {
  std::cout << spec.output << ": " << runs.size() << " runs (manifest.yaml, configs/, runs/)\n";
  for (const auto& r : runs) std::cout << "  " << r.run.index << "  " << r.run.name << "  " << run_state(r) << "\n";
}

int run_one(const std::vector<PlannedRun>& runs, long long index, const io::SweepSpec& spec, bool quiet) {
  if (index < 0 || static_cast<std::size_t>(index) >= runs.size())
    throw InputError(input_message("command line", "--index",
                                   "expected a run index in 0.." + std::to_string(runs.size() - 1) + " of " + spec.file +
                                       ", got " + std::to_string(index)));
  const PlannedRun& run = runs[static_cast<std::size_t>(index)];
  if (run_state(run) == "completed") {
    std::fprintf(stderr, "pinnkit sweep: %s is completed (%s); nothing to do\n", run.run.name.c_str(), run.result.c_str());
    return exit_ok;
  }
  // A requeued Slurm task (or a rerun after a kill) continues from the
  // run's checkpoint when there is one, else starts over.
  RunOptions options{quiet, io::resumable_file(run.result)};
  if (!options.resume_from.empty() && !quiet)
    std::fprintf(stderr, "pinnkit sweep: %s resumes from %s\n", run.run.name.c_str(), options.resume_from.c_str());
  // Threads from OMP_NUM_THREADS (the Slurm script sets it from SLURM_CPUS_PER_TASK).
  return run_checked(io::load_config(run.config), std::nullopt, options);
}

}  // namespace

int cmd_sweep(const Args& args) {
  Command cmd{"sweep",
              "pinnkit sweep SWEEP.yaml [--local [-j N] [--threads T] | --index I | --slurm [--submit [--after JOBID]]]",
              "Expands a sweep file (a base config, overrides, named cases, a grid and/or zip of\n"
              "values, seeds; docs/hpc.md) into named runs: OUTPUT/manifest.yaml, a resolved\n"
              "config per run in OUTPUT/configs/ and its result file in OUTPUT/runs/. Without a\n"
              "mode it writes the folder and lists the runs with their state. --local runs them\n"
              "here, N at a time; --index runs one (what a Slurm array task calls); --slurm\n"
              "writes the job-array script OUTPUT/sweep.sbatch (--submit also passes it to\n"
              "sbatch, --after makes it wait for other jobs). Completed runs are kept and\n"
              "skipped, so running the same command again resumes the sweep (diverged and\n"
              "failed runs run again); a folder planned from a different sweep is refused.\n"
              "Exit codes: 0 every run completed (or planned), 2 bad input, 130 interrupted,\n"
              "else the first failed run's code."};
  std::string sweep_file;
  int jobs = 1, threads = 0;
  long long index = -1;
  io::SlurmSettings flags;
  std::string after;
  cmd.options.add_options()
      ("local", po::bool_switch(), "run the runs on this machine")
      ("jobs,j", po::value(&jobs), "with --local: runs at a time (default 1)")
      ("threads", po::value(&threads), "with --local: threads per run (default: cores / jobs)")
      ("index", po::value(&index), "run the run with this index only (Slurm: $SLURM_ARRAY_TASK_ID)")
      ("slurm", po::bool_switch(), "write the Slurm job-array script OUTPUT/sweep.sbatch")
      ("submit", po::bool_switch(), "with --slurm: submit it with sbatch")
      ("partition", po::value(&flags.partition), "with --slurm: partition (overrides slurm.partition)")
      ("account", po::value(&flags.account), "with --slurm: account (overrides slurm.account)")
      ("time", po::value(&flags.time), "with --slurm: time limit per run (overrides slurm.time)")
      ("cpus-per-task", po::value(&flags.cpus_per_task), "with --slurm: cores per run (overrides slurm.cpus_per_task)")
      ("mem", po::value(&flags.memory), "with --slurm: memory per run (overrides slurm.memory)")
      ("after", po::value(&after),
       "with --submit: start only after these jobs completed successfully (JOBID[:JOBID...], sbatch "
       "--dependency=afterok), e.g. the pretraining sweep a fine-tuning sweep reads")
      ("quiet,q", po::bool_switch(), "only failures on stderr");
  cmd.hidden.add_options()("sweep", po::value(&sweep_file)->required(), "sweep file");
  cmd.positional.add("sweep", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  const bool local = vm["local"].as<bool>(), slurm = vm["slurm"].as<bool>(), submit = vm["submit"].as<bool>();
  const bool quiet = vm["quiet"].as<bool>();
  if (int modes = local + slurm + (vm.count("index") > 0); modes > 1)
    throw InputError(input_message("command line", "--local/--index/--slurm", "expected at most one of them"));
  if (submit && !slurm) throw InputError(input_message("command line", "--submit", "expected it together with --slurm"));
  if (vm.count("after")) {
    if (!submit) throw InputError(input_message("command line", "--after", "expected it together with --slurm --submit"));
    const bool ids = !after.empty() && after.front() != ':' && after.back() != ':' &&
                     after.find("::") == std::string::npos &&
                     std::all_of(after.begin(), after.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ':'; });
    if (!ids)
      throw InputError(input_message("command line", "--after", "expected job ids JOBID[:JOBID...], got '" + after + "'"));
  }
  if (vm.count("jobs") && (jobs < 1 || jobs > 512))
    throw InputError(input_message("command line", "-j/--jobs", "expected an integer in 1..512, got " + std::to_string(jobs)));
  if (vm.count("threads") && (threads < 1 || threads > 512))
    throw InputError(input_message("command line", "--threads", "expected an integer in 1..512, got " + std::to_string(threads)));
  if (vm.count("cpus-per-task") && (flags.cpus_per_task < 1 || flags.cpus_per_task > 512))
    throw InputError(input_message("command line", "--cpus-per-task", "expected an integer in 1..512, got " + std::to_string(flags.cpus_per_task)));

  io::SweepSpec spec = io::load_sweep(sweep_file);
  const auto runs = write_sweep_plan(spec);
  if (vm.count("index")) return run_one(runs, index, spec, quiet);
  if (local) {
    LocalSweepOptions o;
    o.jobs = jobs;
    o.threads = threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / jobs);
    o.quiet = quiet;
    return run_sweep_locally(runs, o);
  }
  if (slurm) {
    auto& s = spec.slurm;
    if (!flags.partition.empty()) s.partition = flags.partition;
    if (!flags.account.empty()) s.account = flags.account;
    if (!flags.time.empty()) s.time = flags.time;
    if (!flags.memory.empty()) s.memory = flags.memory;
    if (vm.count("cpus-per-task")) s.cpus_per_task = flags.cpus_per_task;
    const std::string script = (fs::path(spec.output) / "sweep.sbatch").string();
    {
      std::ofstream out(script);
      out << slurm_array_script(spec, runs.size(), fs::read_symlink("/proc/self/exe").string(), fs::current_path().string());
      if (!out.flush()) throw ResourceError(script + ": cannot write");
    }
    std::cout << script << "\n";
    if (!submit) return exit_ok;
    const std::string command =
        "sbatch --parsable " + (after.empty() ? std::string() : "--dependency=afterok:" + after + " ") + script;
    std::string reply;
    int rc = -1;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buf[256];
      while (std::fgets(buf, sizeof buf, pipe)) reply += buf;
      rc = ::pclose(pipe);
    }
    while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r')) reply.pop_back();
    if (rc != 0)
      throw ResourceError("pinnkit sweep: `" + command + "` failed (" + (reply.empty() ? "no output" : reply) +
                          "); is Slurm's sbatch on PATH and the cluster reachable?");
    // --parsable prints "JOBID" or "JOBID;CLUSTER".
    std::cout << "submitted job array " << reply.substr(0, reply.find(';')) << " (" << runs.size()
              << " tasks); Slurm logs in " << (fs::path(spec.output) / "logs").string() << "\n";
    return exit_ok;
  }
  if (!quiet) print_plan(runs, spec);
  return exit_ok;
}

}  // namespace pinnkit::app
