#include "app/sweep_local.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "core/error.hpp"
#include "io/checkpoint.hpp"

extern char** environ;

namespace pinnkit::app {

namespace {

std::atomic<int> stop_signal{0};
extern "C" void remember_stop(int sig) { stop_signal = sig; }

std::string self_executable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw ResourceError("pinnkit sweep: cannot find its own executable (/proc/self/exe: " + ec.message() + ")");
  return p.string();
}

/// The environment with OMP_NUM_THREADS set; several runs at once must not
/// pin their threads to the same cores, so binding is off unless asked for.
std::vector<std::string> child_environment(int threads) {
  std::vector<std::string> env;
  bool bind_set = false;
  for (char** e = environ; *e; ++e) {
    const std::string v = *e;
    if (v.rfind("OMP_NUM_THREADS=", 0) == 0) continue;
    bind_set = bind_set || v.rfind("OMP_PROC_BIND=", 0) == 0;
    env.push_back(v);
  }
  env.push_back("OMP_NUM_THREADS=" + std::to_string(threads));
  if (!bind_set) env.push_back("OMP_PROC_BIND=false");
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t launch(const std::string& exe, const PlannedRun& run, int threads, std::vector<std::string>& env) {
  std::vector<std::string> argv{exe, "run", run.config, "--quiet", "--threads", std::to_string(threads)};
  // A run interrupted earlier continues from its checkpoint.
  if (const std::string from = io::resumable_file(run.result); !from.empty()) {
    argv.push_back("--resume");
    argv.push_back(from);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, run.log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  auto args = c_strings(argv);
  auto envp = c_strings(env);
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw ResourceError("pinnkit sweep: cannot start " + exe + ": " + std::strerror(rc));
  return pid;
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

int run_sweep_locally(const std::vector<PlannedRun>& runs, const LocalSweepOptions& options) {
  std::vector<const PlannedRun*> todo;
  std::size_t skipped = 0;
  for (const auto& r : runs) {
    if (run_state(r) == "completed")
      ++skipped;
    else
      todo.push_back(&r);
  }
  std::fprintf(stderr, "pinnkit sweep: %zu runs, %zu completed earlier (kept), %zu to run, %d at a time, %d thread%s each\n",
               runs.size(), skipped, todo.size(), options.jobs, options.threads, options.threads == 1 ? "" : "s");
  const std::string exe = self_executable();
  auto env = child_environment(options.threads);
  stop_signal = 0;
  const auto old_int = std::signal(SIGINT, remember_stop);
  const auto old_term = std::signal(SIGTERM, remember_stop);
  std::map<pid_t, const PlannedRun*> running;
  std::size_t next = 0, done = 0, failed = 0;
  int first_failure = 0;
  bool forwarded = false;
  while (next < todo.size() || !running.empty()) {
    while (!stop_signal && next < todo.size() && running.size() < static_cast<std::size_t>(options.jobs)) {
      const PlannedRun* r = todo[next++];
      running[launch(exe, *r, options.threads, env)] = r;
    }
    if (stop_signal && !forwarded) {
      for (const auto& [pid, r] : running) ::kill(pid, SIGTERM);
      forwarded = true;
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const PlannedRun* r = it->second;
    running.erase(it);
    const int code = exit_code(status);
    ++done;
    if (code != 0) {
      ++failed;
      if (first_failure == 0) first_failure = code;
    }
    if (!options.quiet || code != 0)
      std::fprintf(stderr, "pinnkit sweep: [%zu/%zu] %s %s%s (%zu failed, %zu running)\n", done, todo.size(),
                   r->run.name.c_str(), code == 0 ? "completed" : ("exit " + std::to_string(code)).c_str(),
                   code == 0 ? "" : (", log " + r->log).c_str(), failed, running.size());
  }
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (stop_signal) {
    std::fprintf(stderr, "pinnkit sweep: stopped by a signal; %zu runs not started. Run the same command again to resume.\n",
                 todo.size() - next);
    return 130;  // as an interrupted run (app/experiment.cpp)
  }
  return first_failure;
}

}  // namespace pinnkit::app
