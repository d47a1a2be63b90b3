#include "app/slurm_script.hpp"

#include <filesystem>
#include <sstream>

namespace pinnkit::app {

namespace {
/// Single-quoted for sh, so spaces and $ in paths stay literal.
std::string sh_quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

std::string slurm_array_script(const io::SweepSpec& spec, std::size_t runs, const std::string& pinnkit,
                               const std::string& workdir) {
  const auto& s = spec.slurm;
  const std::string logs = (std::filesystem::path(workdir) / spec.output / "logs").string();
  std::ostringstream out;
  out << "#!/bin/bash\n"
      << "# Written by `pinnkit sweep " << spec.file << " --slurm`: one array task per run of the sweep.\n"
      << "# Submit with `sbatch` (or `pinnkit sweep ... --slurm --submit`). A task whose run is\n"
      << "# already completed exits at once, so submitting again resumes the sweep.\n"
      << "#SBATCH --job-name=" << std::filesystem::path(spec.file).stem().string() << "\n"
      << "#SBATCH --array=0-" << (runs == 0 ? 0 : runs - 1) << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << s.cpus_per_task << "\n";
  if (!s.partition.empty()) out << "#SBATCH --partition=" << s.partition << "\n";
  if (!s.account.empty()) out << "#SBATCH --account=" << s.account << "\n";
  if (!s.time.empty()) out << "#SBATCH --time=" << s.time << "\n";
  if (!s.memory.empty()) out << "#SBATCH --mem=" << s.memory << "\n";
  // %A_%a: job and task; --open-mode=append keeps a requeued task's first log.
  out << "#SBATCH --output=" << logs << "/slurm_%A_%a.out\n"
      << "#SBATCH --open-mode=append\n";
  // A preempted task gets SIGTERM: pinnkit finishes its step and writes the
  // file as interrupted (exit 130); --requeue puts it back in the queue,
  // where --index runs it again because it is not completed.
  if (s.requeue) out << "#SBATCH --requeue\n";
  out << "set -eu\n"
      << "cd " << sh_quoted(workdir) << "\n"
      << "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}\n"
      << "export OMP_PROC_BIND=${OMP_PROC_BIND:-spread} OMP_PLACES=${OMP_PLACES:-threads}\n"
      << "exec " << sh_quoted(pinnkit) << " sweep " << sh_quoted(spec.file) << " --index \"$SLURM_ARRAY_TASK_ID\"\n";
  return out.str();
}

}  // namespace pinnkit::app
