// Issue 12 (reliability), end to end: every hostile input ends in exit 2
// with a message naming what is wrong and nothing written; signals and
// sizes behave as README.md says.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support/cli.hpp"

namespace pinnkit::testing {

namespace {

namespace fs = std::filesystem;


/// Like run_pinnkit, but killed after `seconds` (a hang fails the test
/// instead of blocking the suite): exit code 124 then.
CliResult run_with_timeout(const std::string& args, const fs::path& dir, int seconds = 60) {
  return run_pinnkit("--version > /dev/null && timeout -s KILL " + std::to_string(seconds) + " '" PINNKIT_BINARY "' " +
                         args,
                     dir);
}

void expect_bad_input(const CliResult& r, const std::string& message) {
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("This is a bug"), std::string::npos) << r.output;
}

bool nothing_under(const fs::path& p) { return !fs::exists(p) || fs::is_empty(p); }

}  // namespace

// Item 1.
TEST(CliReliability, DeeplyNestedExpressionsExitTwoNamingKeyAndPosition) {
  ScratchDir dir;
  std::string eq(12000, '(');
  eq += "u" + std::string(12000, ')');
  dir.write("deep.yaml", "problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n  equations: [\"" + eq +
                             "\"]\n");
  for (const char* cmd : {"validate deep.yaml", "run deep.yaml -q"})
    expect_bad_input(run_pinnkit(cmd, dir.path()), "deep.yaml: problem.equations[0]: position 201: expected at most 200 levels");
  EXPECT_TRUE(nothing_under(dir.path() / "results"));
}

// Item 3.
TEST(CliReliability, AbsurdSizesExitTwoBeforeAllocating) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  expect_bad_input(run_pinnkit("validate tiny.yaml --set sampling.interior=2000000000", dir.path()),
                   "tiny.yaml: sampling.interior: expected a run that fits in this machine's memory");
  expect_bad_input(run_pinnkit("run tiny.yaml -q --set model.hidden=[100000,100000]", dir.path()),
                   "tiny.yaml: model.hidden: expected a run that fits in this machine's memory");
  EXPECT_TRUE(nothing_under(dir.path() / "out"));
}

// Item 3: an allocation that fails despite the estimate (here: under a
// virtual memory limit) is exit 1 "out of memory", not "a bug". On a machine
// with less memory than the estimate the config is refused (exit 2) instead.
TEST(CliReliability, AnAllocationFailureIsOutOfMemoryNotABug) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  const auto r = run_pinnkit("--version > /dev/null && ulimit -v 1200000 && '" PINNKIT_BINARY
                             "' run tiny.yaml -q --threads 1 --set sampling.interior=60000000",
                             dir.path());
  EXPECT_EQ(r.output.find("This is a bug"), std::string::npos) << r.output;
  if (r.code == 2) {
    EXPECT_NE(r.output.find("sampling.interior: expected a run that fits"), std::string::npos) << r.output;
  } else {
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("pinnkit: error: out of memory"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "tiny.h5"));
}

// Item 4.
TEST(CliReliability, ThreadCountsKokkosCannotTearDownAreRefused) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  expect_bad_input(run_pinnkit("run tiny.yaml -q --threads 600", dir.path()),
                   "--threads: expected an integer in 1..512, got 600");
  EXPECT_TRUE(nothing_under(dir.path() / "out"));
}

// Item 5.
TEST(CliReliability, AnUnwritableSidecarPathStopsTheRunBeforeTraining) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  fs::create_directories(dir.path() / "out" / "tiny.xdmf");
  const auto r = run_pinnkit("run tiny.yaml", dir.path());
  expect_bad_input(r, "out/tiny.xdmf: expected a regular file or a new name for the XDMF sidecar, got a directory");
  EXPECT_EQ(r.output.find("step"), std::string::npos) << "no training before the check:\n" << r.output;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "tiny.h5"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "tiny.h5.partial"));
}

// Item 6.
TEST(CliReliability, FifosAreRefusedNotWaitedFor) {
  ScratchDir dir;
  ASSERT_EQ(::mkfifo(dir.file("pipe").c_str(), 0600), 0);
  expect_bad_input(run_with_timeout("info pipe", dir.path()), "pipe: expected an HDF5 file, got a FIFO");
  dir.write("tiny.yaml", std::string(tiny_config) + "init_from: pipe\n");
  expect_bad_input(run_with_timeout("validate tiny.yaml", dir.path()), "got a FIFO");
}

// Item 9.
TEST(CliReliability, ConditionValuesReadInputsAndParamsOnlyAndErrorsPointIntoThem) {
  ScratchDir dir;
  const std::string head = "problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n  equations: [\"u_xx\"]\n";
  dir.write("reads_output.yaml", head + "  conditions: [{type: dirichlet, value: \"u_x\"}]\n");
  expect_bad_input(run_pinnkit("validate reads_output.yaml", dir.path()),
                   "problem.conditions[0].value: position 1: expected an input, parameter, constant or function name, got 'u_x'");
  dir.write("typo.yaml", head + "  conditions: [{type: dirichlet, value: \"x + * 2\"}]\n");
  const auto r = run_pinnkit("validate typo.yaml", dir.path());
  expect_bad_input(r, "problem.conditions[0].value: position 5: expected a number, a name or '(', got '*'");
  EXPECT_EQ(r.output.find("u - ("), std::string::npos) << "the message shows what the user wrote:\n" << r.output;
}

// Item 11.
TEST(CliReliability, OutputsThatWouldClobberSomethingAreRefused) {
  ScratchDir dir;
  const std::string config = dir.write("tiny.yaml", tiny_config);
  expect_bad_input(run_pinnkit("run tiny.yaml -q -o tiny.yaml", dir.path()), "the config file itself");
  EXPECT_EQ(std::string(tiny_config).size(), fs::file_size(config));
  ASSERT_EQ(::mkfifo(dir.file("pipe.h5").c_str(), 0600), 0);
  expect_bad_input(run_with_timeout("run tiny.yaml -q -o pipe.h5", dir.path()), "got a FIFO");
  dir.write("escape.yaml", "name: ../../escape\nproblem: {pde: poisson2d}\n");
  expect_bad_input(run_pinnkit("validate escape.yaml", dir.path()), "escape.yaml:1: name: expected a plain name without '/'");
}

// Item 13, the lesser ones.
TEST(CliReliability, EmptyOutputNegativeSeedAndNothingToTrainAreBadInput) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  expect_bad_input(run_pinnkit("run tiny.yaml -q -o ''", dir.path()), "-o/--output: expected a file name, got an empty string");
  const auto seed = run_pinnkit("run tiny.yaml -q --seed -1", dir.path());
  expect_bad_input(seed, "command line: --seed: expected an integer >= 0, got -1");
  EXPECT_EQ(seed.output.find("--set"), std::string::npos) << seed.output;
  expect_bad_input(run_pinnkit("run tiny.yaml -q --set 'freeze=[\"*\"]'", dir.path()),
                   "tiny.yaml: freeze: expected at least one trainable parameter, got none");
  const auto lora = run_pinnkit("validate tiny.yaml --set adapter.type=lora", dir.path());
  EXPECT_EQ(lora.code, 0) << lora.output;
  EXPECT_NE(lora.output.find("warning: tiny.yaml: adapter: a lora adapter without init_from"), std::string::npos)
      << lora.output;
  EXPECT_TRUE(nothing_under(dir.path() / "out"));
}

TEST(CliReliability, AnExactSolutionThatIsNotFiniteOnTheGridIsBadInput) {
  ScratchDir dir;
  dir.write("inv.yaml",
            "problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n  equations: [\"u_xx\"]\n"
            "  exact: \"1/x\"\nevaluation: {points: grid, grid: [11]}\ntraining: {steps: 5}\n");
  expect_bad_input(run_pinnkit("run inv.yaml -q", dir.path()),
                   "inv.yaml: problem.exact: expected an exact solution that is finite on every evaluation point, got inf for u at (x = 0");
  EXPECT_TRUE(nothing_under(dir.path() / "results"));
}

TEST(CliReliability, NulBytesAndNonAsciiAreReportedReadably) {
  ScratchDir dir;
  dir.write("nul.yaml", std::string("name: a\0b\n", 10));
  expect_bad_input(run_pinnkit("validate nul.yaml", dir.path()), "nul.yaml:1: expected a text file, got a NUL byte at column 8");
  dir.write("utf.yaml",
            "problem:\n  pde: custom\n  inputs: [x]\n  domain: {x: [0, 1]}\n  equations: [\"u_xx + \xCE\xBB\"]\n");
  expect_bad_input(run_pinnkit("validate utf.yaml", dir.path()), "position 8: expected a number, a name, an operator or a parenthesis, got '\xCE\xBB'");
}

// Item 13: SIGHUP ends a run like SIGTERM: the step finishes and the file is
// written with status interrupted (exit 130).
TEST(CliReliability, HangupWritesTheFileAsInterrupted) {
  ScratchDir dir;
  dir.write("long.yaml", R"(name: long
problem: {pde: poisson2d}
model: {hidden: [8]}
sampling: {interior: 32, boundary: 16}
training: [{optimizer: adam, steps: 100000000}]
evaluation: {every: 1000, points: grid, grid: [5, 5]}
output: {file: long.h5}
)");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir.path().c_str()) != 0) ::_exit(99);
    ::execl(PINNKIT_BINARY, PINNKIT_BINARY, "run", "long.yaml", "-q", static_cast<char*>(nullptr));
    ::_exit(98);
  }
  // Wait (bounded) until the run is training: its .partial has history rows.
  for (int i = 0; i < 600; ++i) {
    if (run_pinnkit("info long.h5.partial", dir.path()).output.find(", loss ") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(child, SIGHUP);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const auto info = run_pinnkit("info long.h5", dir.path());
  EXPECT_EQ(info.code, 0) << info.output;
  EXPECT_NE(info.output.find("interrupted"), std::string::npos) << info.output;
}

}  // namespace pinnkit::testing
