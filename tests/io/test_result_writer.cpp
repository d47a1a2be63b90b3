// ResultWriter + read_result: a full round trip and the fate of the file on
// every way a run can end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <stdexcept>

#include "core/error.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"

#include "support/result_helpers.hpp"

namespace pinnkit::io {
namespace {

namespace fs = std::filesystem;
using testing::file_text;
using testing::sample_eval;
using testing::sample_provenance;
using testing::ScratchDir;

std::vector<double> sample_params(std::size_t n) {
  std::vector<double> p;
  for (std::size_t i = 0; i < n; ++i) p.push_back(std::exp(-0.37 * double(i)) - 0.5);
  return p;
}

std::vector<ParamBlock> sample_blocks() {
  return {{"dense0.W", 0, {2, 3}, "base", true},
          {"dense0.b", 6, {3}, "base", true},
          {"scale", 9, {}, "frozen", false}};
}

TEST(ResultRoundTrip, EverythingWrittenIsReadBackExactly) {
  ScratchDir dir;
  const std::string path = dir.file("run.h5");
  const Provenance prov = sample_provenance();
  const std::vector<double> params = sample_params(10);
  const EvalData eval = sample_eval(5, 2, 2, true);
  GroupData adapter;
  adapter.attrs = {{"type", "lora"}, {"rank", "4"}};
  adapter.datasets["dense0.A"] = {{1.5, -2.25, 3.125, 1e-300}, {2, 2}};
  {
    ResultWriter writer(path, prov);
    writer.write_model(params, sample_blocks(), {{"type", "mlp"}, {"activation", "tanh"}});
    writer.append_history({{"step", 0}, {"stage", 0}, {"loss", 2.5}, {"lr", 1e-3}});
    writer.append_history({{"step", 10}, {"stage", 0}, {"loss", 0.75}, {"rel_l2", 0.3}});
    writer.append_history({{"step", 20}, {"stage", 1}, {"loss", 0.125}, {"lr", 5e-4}});
    writer.write_eval(eval);
    writer.write_metrics({{"rel_l2", 0.0123}, {"final_loss", 0.125}});
    writer.write_adapter(adapter);
    EXPECT_EQ(writer.history_rows(), 3u);
    writer.finish(RunStatus::completed);
  }
  EXPECT_FALSE(fs::exists(path + ".partial"));
  const ResultFile r = read_result(path);

  EXPECT_EQ(r.status, RunStatus::completed);
  EXPECT_EQ(r.message, "");
  EXPECT_FALSE(r.finished.empty());
  EXPECT_EQ(r.format_version, 1);
  EXPECT_EQ(r.provenance.pinnkit_version, prov.pinnkit_version);
  EXPECT_EQ(r.provenance.kokkos_version, prov.kokkos_version);
  EXPECT_EQ(r.provenance.backend, prov.backend);
  EXPECT_EQ(r.provenance.threads, prov.threads);
  EXPECT_EQ(r.provenance.real_type, prov.real_type);
  EXPECT_EQ(r.provenance.created, prov.created);
  EXPECT_EQ(r.provenance.seed, prov.seed);
  EXPECT_EQ(r.provenance.hostname, prov.hostname);
  EXPECT_EQ(r.provenance.config_yaml, prov.config_yaml);
  EXPECT_EQ(r.provenance.config_file, prov.config_file);

  ASSERT_TRUE(r.model.has_value());
  EXPECT_EQ(r.model->params, params);
  ASSERT_EQ(r.model->blocks.size(), 3u);
  for (const ParamBlock& expected : sample_blocks()) {
    auto it = std::find_if(r.model->blocks.begin(), r.model->blocks.end(),
                           [&](const ParamBlock& b) { return b.name == expected.name; });
    ASSERT_NE(it, r.model->blocks.end()) << expected.name;
    EXPECT_EQ(it->offset, expected.offset);
    EXPECT_EQ(it->shape, expected.shape);
    EXPECT_EQ(it->group, expected.group);
    EXPECT_EQ(it->trainable, expected.trainable);
  }
  EXPECT_EQ(r.model->architecture,
            (std::map<std::string, std::string>{{"type", "mlp"}, {"activation", "tanh"}}));

  ASSERT_EQ(r.history_rows(), 3u);
  EXPECT_EQ(r.history.size(), 5u);
  EXPECT_EQ(r.history.at("step"), (std::vector<double>{0, 10, 20}));
  EXPECT_EQ(r.history.at("stage"), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(r.history.at("loss"), (std::vector<double>{2.5, 0.75, 0.125}));
  // A column first seen at row 2, and one missing from row 2: NaN fills the gaps.
  const auto& rel = r.history.at("rel_l2");
  EXPECT_TRUE(std::isnan(rel[0]));
  EXPECT_EQ(rel[1], 0.3);
  EXPECT_TRUE(std::isnan(rel[2]));
  const auto& lr = r.history.at("lr");
  EXPECT_EQ(lr[0], 1e-3);
  EXPECT_TRUE(std::isnan(lr[1]));
  EXPECT_EQ(lr[2], 5e-4);

  ASSERT_TRUE(r.eval.has_value());
  EXPECT_EQ(r.eval->input_names, eval.input_names);
  EXPECT_EQ(r.eval->output_names, eval.output_names);
  EXPECT_EQ(r.eval->point_count(), 5u);
  EXPECT_EQ(r.eval->points, eval.points);
  EXPECT_EQ(r.eval->u_pred, eval.u_pred);
  EXPECT_EQ(r.eval->u_ref, eval.u_ref);
  ASSERT_EQ(r.eval->abs_err.size(), eval.u_pred.size());
  for (std::size_t i = 0; i < eval.u_pred.size(); ++i)
    EXPECT_EQ(r.eval->abs_err[i], std::abs(eval.u_pred[i] - eval.u_ref[i])) << i;

  EXPECT_EQ(r.metrics, (std::map<std::string, double>{{"rel_l2", 0.0123}, {"final_loss", 0.125}}));
  ASSERT_NE(r.adapter(), nullptr);
  EXPECT_EQ(r.adapter()->attrs, adapter.attrs);
  ASSERT_EQ(r.adapter()->datasets.count("dense0.A"), 1u);
  EXPECT_EQ(r.adapter()->datasets.at("dense0.A").values, adapter.datasets["dense0.A"].values);
  EXPECT_EQ(r.adapter()->datasets.at("dense0.A").shape, (std::vector<std::size_t>{2, 2}));
}

TEST(ResultRoundTrip, OptionalPartsStayAbsentWhenNotWritten) {
  ScratchDir dir;
  const std::string path = dir.file("bare.h5");
  ResultWriter(path, sample_provenance()).finish(RunStatus::completed);
  const ResultFile r = read_result(path);
  EXPECT_FALSE(r.model.has_value());
  EXPECT_FALSE(r.eval.has_value());
  EXPECT_TRUE(r.history.empty());
  EXPECT_TRUE(r.metrics.empty());
  EXPECT_EQ(r.adapter(), nullptr);
  EXPECT_EQ(r.provenance.config_yaml, sample_provenance().config_yaml);
}

TEST(ResultRoundTrip, EvalWithoutReferenceHasNoErrorArrays) {
  ScratchDir dir;
  const std::string path = dir.file("noref.h5");
  ResultWriter writer(path, sample_provenance());
  writer.write_eval(sample_eval(4, 1, 1, false));
  writer.finish(RunStatus::completed);
  const ResultFile r = read_result(path);
  ASSERT_TRUE(r.eval.has_value());
  EXPECT_EQ(r.eval->u_pred, sample_eval(4, 1, 1, false).u_pred);
  EXPECT_TRUE(r.eval->u_ref.empty());
  EXPECT_TRUE(r.eval->abs_err.empty());
}

TEST(ResultRoundTrip, RewritesReplaceEarlierContent) {
  ScratchDir dir;
  const std::string path = dir.file("rewrite.h5");
  ResultWriter writer(path, sample_provenance());
  writer.write_model(sample_params(10), sample_blocks(), {{"type", "mlp"}});
  writer.write_model(sample_params(4), {{"w", 0, {2, 2}, "base", true}}, {{"type", "kan"}});
  writer.write_eval(sample_eval(3, 2, 1, true));
  writer.write_eval(sample_eval(6, 2, 1, false));
  writer.write_metrics({{"rel_l2", 1.0}, {"final_loss", 2.0}});
  writer.write_metrics({{"rel_l2", 0.5}});
  writer.finish(RunStatus::completed);
  const ResultFile r = read_result(path);
  EXPECT_EQ(r.model->params, sample_params(4));
  ASSERT_EQ(r.model->blocks.size(), 1u);
  EXPECT_EQ(r.model->architecture.at("type"), "kan");
  EXPECT_EQ(r.eval->point_count(), 6u);
  EXPECT_TRUE(r.eval->u_ref.empty());
  EXPECT_EQ(r.metrics, (std::map<std::string, double>{{"rel_l2", 0.5}, {"final_loss", 2.0}}));
}

class ResultStatus : public ::testing::TestWithParam<RunStatus> {};

TEST_P(ResultStatus, FinishRecordsStatusAndMessageAndRenames) {
  ScratchDir dir;
  const std::string path = dir.file("out/status.h5");
  const std::string message = "ended as " + to_string(GetParam());
  {
    ResultWriter writer(path, sample_provenance());
    writer.append_history({{"step", 1}, {"loss", 0.5}});
    writer.finish(GetParam(), message);
    EXPECT_TRUE(writer.finished());
  }
  EXPECT_FALSE(fs::exists(path + ".partial"));
  const ResultFile r = read_result(path);
  EXPECT_EQ(r.status, GetParam());
  EXPECT_EQ(r.message, message);
  EXPECT_EQ(r.history_rows(), 1u);
}

INSTANTIATE_TEST_SUITE_P(EveryEnd, ResultStatus,
                         ::testing::Values(RunStatus::completed, RunStatus::diverged,
                                           RunStatus::interrupted));

TEST(ResultStatusNames, RoundTripAndRejectUnknown) {
  for (RunStatus s : {RunStatus::running, RunStatus::completed, RunStatus::diverged,
                      RunStatus::interrupted})
    EXPECT_EQ(parse_run_status(to_string(s)), s);
  EXPECT_EQ(to_string(RunStatus::diverged), "diverged");
  try {
    parse_run_status("exploded", "f.h5");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("f.h5"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("exploded"), std::string::npos);
  }
}

TEST(ResultAbort, DestructorWithoutFinishKeepsPartialMarkedInterrupted) {
  ScratchDir dir;
  const std::string path = dir.file("aborted.h5");
  {
    ResultWriter writer(path, sample_provenance());
    writer.append_history({{"step", 0}, {"loss", 3.0}});
    writer.append_history({{"step", 5}, {"loss", 1.0}});
  }
  EXPECT_FALSE(fs::exists(path));
  ASSERT_TRUE(fs::exists(path + ".partial"));
  const ResultFile r = read_result(path + ".partial");
  EXPECT_EQ(r.status, RunStatus::interrupted);
  EXPECT_EQ(r.message.rfind("run aborted: ", 0), 0u) << r.message;
  EXPECT_EQ(r.history.at("loss"), (std::vector<double>{3.0, 1.0}));
}

TEST(ResultAbort, ExceptionUnwindingThroughTheRunIsNamedInTheMessage) {
  ScratchDir dir;
  const std::string path = dir.file("thrown.h5");
  try {
    ResultWriter writer(path, sample_provenance());
    writer.write_metrics({{"final_loss", 1.0}});
    throw std::runtime_error("solver exploded");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(path));
  const ResultFile r = read_result(path + ".partial");
  EXPECT_EQ(r.status, RunStatus::interrupted);
  EXPECT_NE(r.message.find("exception"), std::string::npos) << r.message;
  EXPECT_EQ(r.metrics.at("final_loss"), 1.0);
}

TEST(ResultAbort, AnOpenFileIsReadableAndSaysRunning) {
  ScratchDir dir;
  const std::string path = dir.file("live.h5");
  ResultWriter writer(path, sample_provenance());
  writer.append_history({{"step", 0}, {"loss", 4.0}});
  // What a crash right now would leave behind: a copy of the flushed file.
  fs::copy_file(path + ".partial", dir.file("crash.h5"));
  const ResultFile r = read_result(dir.file("crash.h5"));
  EXPECT_EQ(r.status, RunStatus::running);
  EXPECT_EQ(r.history.at("loss"), (std::vector<double>{4.0}));
  EXPECT_EQ(r.provenance.config_yaml, sample_provenance().config_yaml);
  writer.finish(RunStatus::completed);
}

TEST(ResultFiles, StalePartialIsReplacedAndFinalFileKeptUntilFinish) {
  ScratchDir dir;
  const std::string path = dir.file("run.h5");
  ResultWriter(path, sample_provenance()).finish(RunStatus::diverged);  // an older result
  const std::string older = file_text(path);
  { std::ofstream(path + ".partial") << "left by a crashed run"; }
  ResultWriter writer(path, sample_provenance());
  EXPECT_EQ(file_text(path), older);
  EXPECT_NE(file_text(path + ".partial"), "left by a crashed run");
  writer.finish(RunStatus::completed);
  EXPECT_EQ(read_result(path).status, RunStatus::completed);
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST(ResultFiles, MissingParentDirectoriesAreCreated) {
  ScratchDir dir;
  const std::string path = dir.file("a/b/c/run.h5");
  ResultWriter(path, sample_provenance()).finish(RunStatus::completed);
  EXPECT_EQ(read_result(path).status, RunStatus::completed);
}

void expect_input_error_naming(const std::string& path, const std::function<void()>& action) {
  try {
    action();
    FAIL() << "no exception for " << path;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(ResultFiles, UnwritablePathsAreInputErrorsNamingTheFile) {
  ScratchDir dir;
  { std::ofstream(dir.file("plain.txt")) << "not a directory"; }
  // Runs as root in CI, so permissions cannot make a directory unwritable:
  // a parent that is a regular file can never hold the result.
  const std::string under_file = dir.file("plain.txt/run.h5");
  expect_input_error_naming(under_file, [&] { ResultWriter(under_file, sample_provenance()); });
  const std::string deeper = dir.file("plain.txt/sub/run.h5");
  expect_input_error_naming(deeper, [&] { ResultWriter(deeper, sample_provenance()); });
  expect_input_error_naming(dir.file(""), [&] { ResultWriter(dir.file(""), sample_provenance()); });
  EXPECT_THROW(ResultWriter("", sample_provenance()), InputError);
}

TEST(ResultFiles, MisuseIsAnInternalError) {
  ScratchDir dir;
  ResultWriter writer(dir.file("misuse.h5"), sample_provenance());
  EXPECT_THROW(writer.write_model(sample_params(5), sample_blocks(), {}), InternalError);
  EXPECT_THROW(writer.write_group("history", {}), InternalError);
  EXPECT_THROW(writer.finish(RunStatus::running), InternalError);
  EvalData bad = sample_eval(3, 2, 1, true);
  bad.u_pred.pop_back();
  EXPECT_THROW(writer.write_eval(bad), InternalError);
  writer.finish(RunStatus::completed);
  EXPECT_THROW(writer.append_history({{"step", 1}}), InternalError);
  EXPECT_THROW(writer.finish(RunStatus::completed), InternalError);
}

TEST(ResultFiles, MovedWriterFinishesOnceAndTheSourceDoesNothing) {
  ScratchDir dir;
  const std::string path = dir.file("moved.h5");
  ResultWriter first(path, sample_provenance());
  ResultWriter second(std::move(first));
  second.finish(RunStatus::completed);
  EXPECT_EQ(read_result(path).status, RunStatus::completed);
}

TEST(ResultFiles, H5dumpReadsTheFile) {
  if (!testing::have_command("h5dump")) GTEST_SKIP() << "h5dump not installed";
  ScratchDir dir;
  const std::string path = dir.file("dump.h5");
  ResultWriter writer(path, sample_provenance());
  writer.write_model(sample_params(10), sample_blocks(), {{"type", "mlp"}});
  writer.append_history({{"step", 0}, {"loss", 1.0}});
  writer.write_eval(sample_eval(3, 2, 1, true));
  writer.finish(RunStatus::diverged, "loss is NaN");
  EXPECT_EQ(std::system(("h5dump -H " + path + " > /dev/null").c_str()), 0);
  EXPECT_EQ(std::system(("h5dump -a /status " + path + " | grep -q diverged").c_str()), 0);
}

}  // namespace
}  // namespace pinnkit::io
