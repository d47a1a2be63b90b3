// read_result on files that are not (valid) pinnkit results, and summarize().
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"

#include "support/result_helpers.hpp"

namespace pinnkit::io {
namespace {

using testing::sample_eval;
using testing::sample_provenance;
using testing::ScratchDir;

// The message of the InputError read_result throws ("" when none).
std::string read_error(const std::string& path) {
  try {
    read_result(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultReader, MissingFileIsAnInputErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("nowhere.h5");
  const std::string message = read_error(path);
  EXPECT_EQ(message.rfind(path, 0), 0u) << message;
  EXPECT_NE(message.find("no such file"), std::string::npos) << message;
}

TEST(ResultReader, NonHdf5FileIsAnInputErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("notes.h5");
  { std::ofstream(path) << "name: not hdf5\n"; }
  const std::string message = read_error(path);
  EXPECT_EQ(message.rfind(path, 0), 0u) << message;
  EXPECT_NE(message.find("not an HDF5 file"), std::string::npos) << message;
  EXPECT_EQ(read_error(dir.file("")).rfind(dir.file(""), 0), 0u);  // a directory
}

TEST(ResultReader, ForeignHdf5FileIsAnInputErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("foreign.h5");
  {
    h5::File file = h5::File::create(path);
    file.write_array("data", {{1.0, 2.0}, {2}});
    file.set_attr("creator", std::string("someone else"));
  }
  const std::string message = read_error(path);
  EXPECT_EQ(message.rfind(path, 0), 0u) << message;
  EXPECT_NE(message.find("not a pinnkit result"), std::string::npos) << message;
}

TEST(ResultReader, MalformedPinnkitFilesAreInputErrors) {
  ScratchDir dir;
  const std::string bad_status = dir.file("bad_status.h5");
  {
    h5::File file = h5::File::create(bad_status);
    file.set_attr("pinnkit_version", std::string("0.1.0"));
    file.set_attr("status", std::string("exploded"));
  }
  EXPECT_NE(read_error(bad_status).find("exploded"), std::string::npos);

  const std::string ragged = dir.file("ragged.h5");
  {
    h5::File file = h5::File::create(ragged);
    file.set_attr("pinnkit_version", std::string("0.1.0"));
    file.set_attr("status", std::string("completed"));
    h5::Group history = file.create_group("history");
    history.write_array("loss", {{1.0, 0.5, 0.25}, {3}});
    history.write_array("step", {{0.0, 1.0}, {2}});
  }
  const std::string message = read_error(ragged);
  EXPECT_EQ(message.rfind(ragged, 0), 0u) << message;
  EXPECT_NE(message.find("/history/step"), std::string::npos) << message;

  const std::string wrong_type = dir.file("wrong_type.h5");
  {
    h5::File file = h5::File::create(wrong_type);
    file.set_attr("pinnkit_version", std::string("0.1.0"));
    file.set_attr("status", 1.0);
  }
  EXPECT_EQ(read_error(wrong_type).rfind(wrong_type, 0), 0u);
}

TEST(ResultSummary, NamesStatusVersionsConfigHistoryAndMetrics) {
  ScratchDir dir;
  const std::string path = dir.file("summary.h5");
  ResultWriter writer(path, sample_provenance());
  writer.write_model(std::vector<double>(26, 0.5), {{"W", 0, {4, 5}, "base", true},
                                                  {"b", 20, {6}, "base", false}},
                     {{"type", "mlp"}});
  writer.append_history({{"step", 0}, {"loss", 2.5}});
  writer.append_history({{"step", 100}, {"loss", 0.0625}});
  writer.write_eval(sample_eval(7, 2, 1, true));
  writer.write_metrics({{"rel_l2", 0.0123}, {"max_abs_err", 0.5}});
  writer.finish(RunStatus::completed);
  const std::string text = summarize(read_result(path));
  for (const char* expected :
       {"completed", "2026-11-22T12:34:56Z", "0.1.0-test", "Kokkos 3.4.1", "OpenMP",
        "3 threads", "experiments/burgers.yaml", "burgers1d", "hidden: [8, 8]",
        "26 in 2 blocks (1 trainable)", "2 rows", "loss 2.5 (step 0) -> 0.0625 (step 100)",
        "rel_l2 0.0123", "max_abs_err 0.5", "7 points", "reference yes"})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << text;
  EXPECT_EQ(text.find("***"), std::string::npos) << text;
}

TEST(ResultSummary, UnfinishedStatusesAreProminent) {
  ScratchDir dir;
  const std::string path = dir.file("diverged.h5");
  ResultWriter(path, sample_provenance()).finish(RunStatus::diverged, "loss is NaN at step 40");
  const std::string text = summarize(read_result(path));
  EXPECT_EQ(text.rfind("*** status DIVERGED", 0), 0u) << text;
  EXPECT_NE(text.find("loss is NaN at step 40"), std::string::npos) << text;

  const std::string partial = dir.file("crashed.h5");
  { ResultWriter writer(partial, sample_provenance()); }
  EXPECT_EQ(summarize(read_result(partial + ".partial")).rfind("*** status INTERRUPTED", 0), 0u);
}

// A diverged run writes NaN losses and parameters; with the test main's
// floating-point traps on, writing, reading and summarising must not trap.
TEST(ResultSummary, DivergedRunWithNaNsIsWrittenReadAndSummarised) {
  ScratchDir dir;
  const std::string path = dir.file("nan.h5");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ResultWriter writer(path, sample_provenance());
  writer.write_model({1.0, nan}, {{"w", 0, {2}, "base", true}}, {});
  writer.append_history({{"step", 0}, {"loss", 1.0}});
  writer.append_history({{"step", 7}, {"loss", nan}});
  EvalData eval = sample_eval(2, 1, 1, true);
  eval.u_pred[1] = nan;
  writer.write_eval(eval);
  writer.write_metrics({{"final_loss", nan}});
  writer.finish(RunStatus::diverged, "loss is NaN at step 7");
  const ResultFile r = read_result(path);
  EXPECT_TRUE(std::isnan(r.model->params[1]));
  EXPECT_TRUE(std::isnan(r.history.at("loss")[1]));
  EXPECT_TRUE(std::isnan(r.eval->abs_err[1]));
  EXPECT_EQ(r.eval->abs_err[0], std::abs(eval.u_pred[0] - eval.u_ref[0]));
  const std::string text = summarize(r);
  EXPECT_NE(text.find("loss 1 (step 0) -> nan (step 7)"), std::string::npos) << text;
  EXPECT_NE(text.find("final_loss nan"), std::string::npos) << text;
}

}  // namespace
}  // namespace pinnkit::io
