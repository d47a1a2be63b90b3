#pragma once
/// \brief Shared fixtures of the result-file tests: a scratch directory per
/// test and sample contents with values that are not round numbers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "io/result_types.hpp"

namespace pinnkit::io::testing {

namespace fs = std::filesystem;

/// A fresh directory named after the running test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("pinnkit_") + info->test_suite_name() + "_" + info->name() +
                       "_" + std::to_string(::getpid());
    for (char& c : name)
      if (c == '/') c = '_';
    path_ = fs::temp_directory_path() / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool have_command(const std::string& name) {
  return std::system(("command -v " + name + " > /dev/null 2>&1").c_str()) == 0;
}

inline Provenance sample_provenance() {
  Provenance p;
  p.pinnkit_version = "0.1.0-test";
  p.kokkos_version = "Kokkos 3.4.1";
  p.backend = "OpenMP";
  p.threads = 3;
  p.real_type = "float64";
  p.created = "2026-11-22T12:34:56Z";
  p.seed = 18446744073709551557ull;  // needs all 64 bits
  p.hostname = "node-17";
  p.config_yaml =
      "name: burgers\nseed: 7\nproblem:\n  pde: burgers1d\n  params: {nu: 0.01}\n"
      "model:\n  type: mlp\n  hidden: [8, 8]\n  activation: tanh\n";
  p.config_file = "experiments/burgers.yaml";
  return p;
}

/// M points in d dimensions with m outputs; u_ref present when `reference`.
inline EvalData sample_eval(std::size_t rows, std::size_t d, std::size_t m, bool reference) {
  EvalData e;
  const char* inputs[] = {"x", "y", "z", "t"};
  for (std::size_t k = 0; k < d; ++k) e.input_names.push_back(inputs[k % 4]);
  for (std::size_t j = 0; j < m; ++j)
    e.output_names.push_back(j == 0 ? "u" : "v" + std::to_string(j));
  for (std::size_t i = 0; i < rows * d; ++i) e.points.push_back(0.1 * double(i) + 1.0 / 3.0);
  for (std::size_t i = 0; i < rows * m; ++i) e.u_pred.push_back(std::sin(0.7 * double(i)));
  if (reference)
    for (std::size_t i = 0; i < rows * m; ++i) e.u_ref.push_back(std::cos(0.3 * double(i)));
  return e;
}

}  // namespace pinnkit::io::testing
