#pragma once
/// \brief Runs build/pinnkit in a scratch folder and captures its exit code
/// and output, for end-to-end tests of the command line.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace pinnkit::testing {

struct CliResult {
  int code = -1;
  std::string output;  ///< stdout and stderr together
};

/// A fresh folder under the system temp dir, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("pinnkit_") + info->test_suite_name() + "_" + info->name() + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

/// A run small enough for a unit test: a few Adam steps on 2-D Poisson.
inline const char* const tiny_config = R"(name: tiny
seed: 3
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [8, 8], activation: tanh}
sampling: {interior: 64, boundary: 32, method: sobol}
training:
  - {optimizer: adam, lr: 1.0e-3, steps: 20}
evaluation: {every: 10, points: grid, grid: [11, 11]}
output: {file: out/tiny.h5}
)";

/// A tiny MLP run with a [6, 5] network for the fine-tuning CLI tests
/// (init_from, adapters): pretrain it, then --set an adapter on top.
inline const char* const tiny_finetune_config = R"(name: tiny
seed: 3
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [6, 5], activation: tanh}
sampling: {interior: 32, boundary: 16, method: sobol}
training: [{optimizer: adam, lr: 1.0e-2, steps: 5}]
evaluation: {every: 0, points: grid, grid: [5, 5]}
output: {xdmf: false}
)";

/// Runs a shell command line, stdout and stderr captured together.
inline CliResult run_command(const std::string& command) {
  CliResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Runs `pinnkit ARGS` in `dir` with OMP_NUM_THREADS kept from the test.
inline CliResult run_pinnkit(const std::string& args, const std::filesystem::path& dir) {
  return run_command("cd '" + dir.string() + "' && '" PINNKIT_BINARY "' " + args + " 2>&1");
}

/// `script` run by sh in `dir` (for jobs in the background, signals, pipes).
inline CliResult run_shell(const std::string& script, const std::filesystem::path& dir) {
  return run_command("cd '" + dir.string() + "' && sh -c '" + script + "' 2>&1");
}

}  // namespace pinnkit::testing
