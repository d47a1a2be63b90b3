// Issue 12 (reliability), the io/ side: output claims and path checks,
// FIFOs, malformed /model/blocks, full disks, text that is not UTF-8, deep
// YAML, evaluation grids of the wrong arity, run names that escape results/,
// and configs too large for the machine.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "support/config_helpers.hpp"
#include "core/error.hpp"
#include "io/config.hpp"
#include "io/hdf5_file.hpp"
#include "io/memory_estimate.hpp"
#include "io/output_claim.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"
#include "io/xdmf.hpp"
#include "support/result_helpers.hpp"

namespace pinnkit::io::testing {

namespace {

std::string write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string error_of(const std::function<void()>& f) { return input_error_of(f); }

}  // namespace

// Item 2: a second writer on the same file stops before touching a byte.
TEST(OutputClaim, ASecondWriterLeavesTheFirstRunsFileAlone) {
  ScratchDir dir;
  const std::string out = dir.file("run.h5");
  ResultWriter first(out, sample_provenance(), false);
  first.append_history({{"step", 1}, {"loss", 0.5}});
  const std::string before = file_text(out + ".partial");
  ASSERT_FALSE(before.empty());
  const std::string message = error_of([&] { ResultWriter second(out, sample_provenance(), false); });
  EXPECT_NE(message.find("another pinnkit run is writing"), std::string::npos) << message;
  EXPECT_NE(message.find(out), std::string::npos) << message;
  EXPECT_EQ(file_text(out + ".partial"), before) << "the second writer changed the first one's file";
  first.append_history({{"step", 2}, {"loss", 0.25}});
  first.finish(RunStatus::completed);
  const ResultFile r = read_result(out);
  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.history_rows(), 2u);
  EXPECT_EQ(r.provenance.config_yaml, sample_provenance().config_yaml);
  // Once the first run is done, the file is free again.
  EXPECT_NO_THROW(ResultWriter(out, sample_provenance(), false).finish(RunStatus::completed));
}

TEST(OutputClaim, AStaleUnlockedPartialIsReplacedAndAFailedClaimLeavesNoFile) {
  ScratchDir dir;
  const std::string out = dir.file("run.h5");
  write_text(out + ".partial", "left over by a crashed run");
  EXPECT_NO_THROW(ResultWriter(out, sample_provenance(), false).finish(RunStatus::completed));
  EXPECT_FALSE(fs::exists(out + ".partial"));
  { OutputClaim claim(dir.file("other.h5.partial"), dir.file("other.h5")); }
  EXPECT_FALSE(fs::exists(dir.file("other.h5.partial"))) << "an unused claim removes the empty file it made";
}

// Items 5 and 11: every output path is checked before anything is written.
TEST(OutputPaths, DirectoriesFifosDevicesAndForeignFilesAreRefused) {
  ScratchDir dir;
  const std::string out = dir.file("run.h5");
  fs::create_directories(dir.file("run.xdmf"));
  std::string m = error_of([&] { check_output_paths(out, true); });
  EXPECT_NE(m.find(dir.file("run.xdmf") + ": expected a regular file or a new name for the XDMF sidecar, got a directory"),
            std::string::npos)
      << m;
  EXPECT_NO_THROW(check_output_paths(out, false)) << "no sidecar, no check of its path";
  EXPECT_FALSE(fs::exists(out));
  // The writer makes the same check before creating anything.
  error_of([&] { ResultWriter w(out, sample_provenance(), true); });
  EXPECT_FALSE(fs::exists(out + ".partial"));

  const std::string fifo = dir.file("fifo.h5");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  m = error_of([&] { check_output_paths(fifo, false); });
  EXPECT_NE(m.find("got a FIFO"), std::string::npos) << m;
  m = error_of([&] { check_output_paths("/dev/null", false); });
  EXPECT_NE(m.find("got a character device"), std::string::npos) << m;

  const std::string config = write_text(dir.file("config.yaml"), "name: x\n");
  m = error_of([&] { check_output_paths(config, false, config); });
  EXPECT_NE(m.find("the config file itself"), std::string::npos) << m;
  m = error_of([&] { check_output_paths(config, false); });
  EXPECT_NE(m.find("not one; pinnkit does not replace it"), std::string::npos) << m;
  EXPECT_EQ(file_text(config), "name: x\n");

  m = error_of([&] { check_output_paths("", false); });
  EXPECT_NE(m.find("output.file: expected a file name"), std::string::npos) << m;
  // An earlier result is replaced as before.
  ResultWriter(out + "2.h5", sample_provenance(), false).finish(RunStatus::completed);
  EXPECT_NO_THROW(check_output_paths(out + "2.h5", true));
}

// Item 6: reading a FIFO is refused instead of blocking forever.
TEST(ResultReaderRobustness, AFifoIsRefusedNotWaitedFor) {
  ScratchDir dir;
  const std::string fifo = dir.file("run.h5");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string m = error_of([&] { read_result(fifo); });
  EXPECT_NE(m.find(fifo + ": expected an HDF5 file, got a FIFO"), std::string::npos) << m;
}

// Item 8: a block whose dataset disagrees with its attributes or with
// /model/params is an error of the file.
TEST(ResultReaderRobustness, MalformedModelBlocksAreErrors) {
  ScratchDir dir;
  auto write = [&](const std::string& name, std::vector<std::size_t> shape, std::vector<double> values) {
    const std::string path = dir.file(name);
    h5::File file = h5::File::create(path);
    file.set_attr("pinnkit_version", std::string("test"));
    file.set_attr("status", std::string("completed"));
    h5::Group model = file.create_group("model");
    model.write_array("params", {{1, 2, 3, 4, 5, 6}, {6}});
    h5::Group blocks = model.create_group("blocks");
    h5::Dataset b = blocks.write_array("dense0.weight", {values, shape});
    b.set_attr("offset", std::uint64_t{0});
    b.set_attr("shape", std::vector<std::uint64_t>{2, 3});
    file.close();
    return path;
  };
  EXPECT_NO_THROW(read_result(write("good.h5", {2, 3}, {1, 2, 3, 4, 5, 6})));
  std::string m = error_of([&] { read_result(write("shape.h5", {3, 2}, {1, 2, 3, 4, 5, 6})); });
  EXPECT_NE(m.find("/model/blocks/dense0.weight: expected a dataset of shape [2, 3] (its shape attribute), got [3, 2]"),
            std::string::npos)
      << m;
  m = error_of([&] { read_result(write("values.h5", {2, 3}, {1, 2, 3, 4, 5, 7})); });
  EXPECT_NE(m.find("expected the values of /model/params from offset 0"), std::string::npos) << m;
}

// Item 12: a full disk (here: a file size limit, which fails the same write
// calls) is a ResourceError naming the file, not an internal error.
TEST(ResultWriterRobustness, AFullDiskIsNamedAndNotCalledABug) {
  ScratchDir dir;
  const std::string out = dir.file("run.h5");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 10;
    try {
      ResultWriter writer(out, sample_provenance(), false);
      std::map<std::string, double> row;
      for (int c = 0; c < 64; ++c) row["column_" + std::to_string(c)] = c;
      for (int i = 0; i < 100000; ++i) writer.append_history(row);
    } catch (const ResourceError& e) {
      const std::string m = e.what();
      code = m.find(out + ".partial") != std::string::npos && m.find("file size limit") != std::string::npos ? 0 : 11;
      if (code) std::fprintf(stderr, "message: %s\n", m.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "other exception: %s\n", e.what());
      code = 12;
    }
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: no error, 11: wrong message, 12: not a ResourceError";
  EXPECT_FALSE(fs::exists(out)) << "no final file from a run that could not write";
}

TEST(ResultWriterRobustness, AFullDiskWritingTheSidecarIsNamedAndNotBadInput) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const XdmfPoints points{"run.h5", 2, "/eval/points", 2, {{"u", "/eval/fields/u"}}};
  try {
    write_xdmf("/dev/full", points);
    FAIL() << "no error writing to /dev/full";
  } catch (const ResourceError& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full: cannot write the XDMF sidecar: No space left on device"),
              std::string::npos)
        << e.what();
  }
}

// Items 10 and 13: text that cannot be stored as UTF-8, NUL bytes, deep YAML.
TEST(ConfigText, InvalidUtf8AndNulBytesAreRefusedWithLineAndColumn) {
  std::string m = config_error("name: ok\nproblem: {pde: poisson2d}\noutput: {file: \"r\xE9sultat.h5\"}\n");
  EXPECT_NE(m.find("t.yaml:3: expected UTF-8 text, got the byte 0xE9 at column 18"), std::string::npos) << m;
  m = config_error(std::string("name: a\0b\n", 10));
  EXPECT_NE(m.find("t.yaml:1: expected a text file, got a NUL byte at column 8"), std::string::npos) << m;
  m = config_error("name: ok\n", {"name=\xFF"});
  EXPECT_NE(m.find("--set: expected UTF-8 text, got the byte 0xFF"), std::string::npos) << m;
  EXPECT_NO_THROW(parse_config("name: r\xC3\xA9sultat\n", "t.yaml")) << "valid UTF-8 is fine";
}

TEST(ConfigText, DeepYamlNestingIsNamedAsSuch) {
  const std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  const std::string m = config_error(deep);
  EXPECT_NE(m.find("t.yaml:1: expected YAML nested a few levels deep"), std::string::npos) << m;
  EXPECT_EQ(m.find("syntax error"), std::string::npos) << m;
}

// Item 7: catalog problems need one grid size per input, like custom ones.
TEST(ConfigGrid, CatalogProblemsNeedOneGridEntryPerInput) {
  std::string m = config_error("problem: {pde: poisson2d}\nevaluation: {points: grid, grid: [11]}\n");
  EXPECT_NE(m.find("t.yaml:2: evaluation.grid: expected one entry per input of the problem 'poisson2d' (2), got 1 entries"),
            std::string::npos)
      << m;
  m = config_error("problem: {pde: poisson2d}\nevaluation: {points: grid, grid: [7, 5, 3]}\n");
  EXPECT_NE(m.find("(2), got 3 entries"), std::string::npos) << m;
  m = config_error("problem: {pde: heat2d}\nevaluation: {grid: [7, 5]}\n");
  EXPECT_NE(m.find("'heat2d' (3), got 2 entries"), std::string::npos) << m;
  // The default grid is resolved to the problem's inputs, so the resolved
  // config says what runs and parses again.
  const RunSpec p3 = parse_config("problem: {pde: poisson3d}\n", "t.yaml");
  EXPECT_EQ(p3.evaluation.grid, (std::vector<int>{101, 101, 101}));
  EXPECT_EQ(parse_config("problem: {pde: poisson1d}\n", "t.yaml").evaluation.grid, (std::vector<int>{101}));
  EXPECT_NO_THROW(parse_config(to_yaml(p3), "again.yaml"));
}

// Item 11: the default output file stays inside results/.
TEST(ConfigName, ANameThatLeavesResultsIsRefusedWhenItNamesTheOutput) {
  std::string m = config_error("name: ../../escape\n");
  EXPECT_NE(m.find("t.yaml:1: name: expected a plain name without '/'"), std::string::npos) << m;
  m = config_error("name: ..\n");
  EXPECT_NE(m.find("name: expected a plain name"), std::string::npos) << m;
  EXPECT_EQ(parse_config("name: a/b\noutput: {file: out.h5}\n", "t.yaml").output.file, "out.h5");
}

// Item 3: sizes the machine cannot hold are bad input naming the key.
TEST(MemoryEstimate, AbsurdSizesAreRefusedNamingTheKey) {
  const std::uint64_t gib = 1ull << 30;
  auto refused = [&](const std::string& yaml) {
    return error_of([&] { check_memory(parse_config(yaml, "t.yaml"), 16 * gib); });
  };
  std::string m = refused("sampling: {interior: 2000000000}\n");
  EXPECT_NE(m.find("t.yaml: sampling.interior: expected a run that fits in this machine's memory (16.0 GiB), got one "
                   "that needs about "),
            std::string::npos)
      << m;
  m = refused("model: {hidden: [100000, 100000]}\n");
  EXPECT_NE(m.find("t.yaml: model.hidden: expected a run that fits"), std::string::npos) << m;
  m = refused("model: {type: kan, kan_hidden: [30000, 30000]}\n");
  EXPECT_NE(m.find("t.yaml: model.kan_hidden:"), std::string::npos) << m;
  m = refused("evaluation: {points: grid, grid: [100000, 100000]}\n");
  EXPECT_NE(m.find("t.yaml: evaluation.grid:"), std::string::npos) << m;
  // Every shipped experiment fits in 4 GiB by the estimate. Experiments run
  // from the repository root, where their data paths (observations) point.
  struct InRepositoryRoot {
    fs::path before = fs::current_path();
    InRepositoryRoot() { fs::current_path(PINNKIT_SOURCE_DIR); }
    ~InRepositoryRoot() { fs::current_path(before); }
  } in_root;
  for (const auto& entry : fs::recursive_directory_iterator(PINNKIT_SOURCE_DIR "/experiments")) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string name = entry.path().filename().string();
    if (name.size() >= 10 && name.compare(name.size() - 10, 10, "sweep.yaml") == 0) continue;  // not a run config
    const RunSpec spec = load_config(entry.path().string());
    EXPECT_NO_THROW(check_memory(spec, 4 * gib)) << entry.path();
    EXPECT_LT(estimate_memory(spec).bytes, 4.0 * gib) << entry.path();
  }
}

}  // namespace pinnkit::io::testing
