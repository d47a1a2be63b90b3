// End-to-end tests of the `pinnkit` command line: exit codes, messages and
// what is (or is not) written.
#include <filesystem>

#include "adapters/adapter_registry.hpp"
#include "io/config.hpp"
#include "models/registries.hpp"
#include "solvers/optimizer_registry.hpp"
#include "solvers/schedule.hpp"
#include "solvers/unit_sampler.hpp"

#include "support/cli.hpp"

namespace pinnkit::testing {

namespace fs = std::filesystem;

TEST(Cli, VersionAndHelpExitZero) {
  ScratchDir dir;
  const auto v = run_pinnkit("--version", dir.path());
  EXPECT_EQ(v.code, 0) << v.output;
  EXPECT_NE(v.output.find("pinnkit "), std::string::npos);
  EXPECT_NE(v.output.find("Kokkos"), std::string::npos);
  for (const char* cmd : {"--help", "run --help", "validate --help", "info --help", "list --help"}) {
    const auto h = run_pinnkit(cmd, dir.path());
    EXPECT_EQ(h.code, 0) << cmd << "\n" << h.output;
    EXPECT_NE(h.output.find("pinnkit"), std::string::npos) << cmd;
  }
}

TEST(Cli, UnknownCommandsAndOptionsExitTwoWithAHint) {
  ScratchDir dir;
  const auto c = run_pinnkit("frobnicate", dir.path());
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.output.find("unknown command 'frobnicate'"), std::string::npos) << c.output;
  const auto o = run_pinnkit("validate --bogus x.yaml", dir.path());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.output.find("bogus"), std::string::npos) << o.output;
  const auto none = run_pinnkit("", dir.path());
  EXPECT_EQ(none.code, 2);
}

TEST(Cli, ListNamesTheCatalogAndRejectsUnknownCategories) {
  ScratchDir dir;
  const auto all = run_pinnkit("list", dir.path());
  EXPECT_EQ(all.code, 0) << all.output;
  EXPECT_NE(all.output.find("poisson2d"), std::string::npos);
  EXPECT_NE(all.output.find("tanh"), std::string::npos);
  const auto bad = run_pinnkit("list gizmos", dir.path());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.output.find("gizmos"), std::string::npos);
}

// `list keys` prints exactly the table docs/config.md embeds (and
// scripts/update_config_doc.sh copies); plain `list` leaves it out.
TEST(Cli, ListKeysPrintsTheConfigReferenceOnlyWhenAsked) {
  ScratchDir dir;
  const auto keys = run_pinnkit("list keys", dir.path());
  ASSERT_EQ(keys.code, 0) << keys.output;
  EXPECT_EQ(keys.output, pinnkit::io::config_reference_markdown());
  const auto all = run_pinnkit("list", dir.path());
  EXPECT_EQ(all.output.find("| key | accepts"), std::string::npos);
}

// `pinnkit list` reads the registries: every entry appears with its
// description, under the family's config key, adapters included.
TEST(Cli, ListShowsEveryRegistryEntryWithItsDescription) {
  ScratchDir dir;
  const auto all = run_pinnkit("list", dir.path());
  ASSERT_EQ(all.code, 0) << all.output;
  auto expect_family = [&](const auto& registry) {
    EXPECT_NE(all.output.find(registry.family() + " (" + registry.key() + "):"), std::string::npos)
        << registry.family() << "\n" << all.output;
    for (const auto& e : registry.entries()) {
      EXPECT_NE(all.output.find("  " + e.name + " "), std::string::npos) << e.name << "\n" << all.output;
      EXPECT_NE(all.output.find(e.description), std::string::npos) << e.name;
    }
    const auto one = run_pinnkit("list " + registry.family(), dir.path());
    EXPECT_EQ(one.code, 0) << one.output;
    EXPECT_EQ(one.output.find("problems (problem.pde"), std::string::npos) << "list " << registry.family();
    EXPECT_NE(one.output.find(registry.entries().front().description), std::string::npos);
  };
  expect_family(pinnkit::models::model_registry());
  expect_family(pinnkit::models::activation_registry());
  expect_family(pinnkit::models::initializer_registry());
  expect_family(pinnkit::adapters::adapter_registry());
  expect_family(pinnkit::solvers::optimizer_registry());
  expect_family(pinnkit::solvers::schedule_registry());
  expect_family(pinnkit::solvers::sampler_registry());
}

TEST(Cli, ValidatePrintsTheResolvedConfigWithOverrides) {
  ScratchDir dir;
  const auto cfg = dir.write("tiny.yaml", tiny_config);
  const auto r = run_pinnkit("validate tiny.yaml --set model.hidden=[5,6,7]", dir.path());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("valid"), std::string::npos);
  EXPECT_NE(r.output.find("5, 6, 7"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("schedule"), std::string::npos) << "defaults must be filled in";
}

TEST(Cli, BadConfigsExitTwoNamingTheKeyAndWriteNothing) {
  ScratchDir dir;
  struct Case {
    const char* name;
    std::string text;
    const char* expected;  ///< must appear in the message
  };
  const std::string base = tiny_config;
  const Case cases[] = {
      {"syntax.yaml", "model: {type: mlp\nseed: [", "syntax.yaml"},
      {"unknown.yaml", base + "modle: {}\n", "did you mean 'model'"},
      {"type.yaml", "seed: many\n", "seed"},
      {"negative.yaml", "model: {hidden: [8, -4]}\n", "model.hidden[1]"},
      // Errors found only by building the problem and model: validate builds them too.
      {"equation.yaml",
       "problem: {pde: custom, inputs: [x], domain: {x: [0, 1]}, equations: ['u_xx + sin(']}\n",
       "problem.equations[0]"},
      {"constraint.yaml",
       "problem: {pde: poisson2d}\nmodel: {hard_constraint: {value: 'sin(pi*z)', distance: 'x'}}\n",
       "model.hard_constraint.value"},
      {"init.yaml", base + "init_from: nowhere.h5\n", "nowhere.h5"},
  };
  for (const auto& c : cases) {
    dir.write(c.name, c.text);
    for (const char* cmd : {"validate", "run"}) {
      const auto r = run_pinnkit(std::string(cmd) + " " + c.name, dir.path());
      EXPECT_EQ(r.code, 2) << cmd << " " << c.name << "\n" << r.output;
      EXPECT_NE(r.output.find(c.expected), std::string::npos) << cmd << " " << c.name << "\n" << r.output;
    }
  }
  const auto missing = run_pinnkit("run does_not_exist.yaml", dir.path());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("does_not_exist.yaml"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() / "results")) << "bad input must not write output";
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

TEST(Cli, RunWritesAResultThatInfoSummarises) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  const auto r = run_pinnkit("run tiny.yaml --quiet --threads 1", dir.path());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir.path() / "out/tiny.h5"));
  EXPECT_FALSE(fs::exists(dir.path() / "out/tiny.h5.partial"));
  EXPECT_TRUE(fs::exists(dir.path() / "out/tiny.xdmf"));
  const auto info = run_pinnkit("info out/tiny.h5", dir.path());
  EXPECT_EQ(info.code, 0) << info.output;
  EXPECT_NE(info.output.find("completed"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("rel_l2"), std::string::npos) << info.output;
}

TEST(Cli, OutputAndSeedOptionsOverrideTheConfig) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  const auto r = run_pinnkit("run tiny.yaml -q -o other/x.h5 --seed 11", dir.path());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir.path() / "other/x.h5"));
  EXPECT_FALSE(fs::exists(dir.path() / "out/tiny.h5"));
  const auto info = run_pinnkit("info other/x.h5", dir.path());
  EXPECT_NE(info.output.find("11"), std::string::npos) << info.output;
}

TEST(Cli, InfoOnAMissingOrForeignFileExitsTwo) {
  ScratchDir dir;
  const auto missing = run_pinnkit("info nothing.h5", dir.path());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.output.find("nothing.h5"), std::string::npos);
  dir.write("text.h5", "not hdf5");
  const auto foreign = run_pinnkit("info text.h5", dir.path());
  EXPECT_EQ(foreign.code, 2);
  EXPECT_NE(foreign.output.find("text.h5"), std::string::npos);
}

TEST(Cli, AnUnwritableOutputPathIsBadInputNamingThePath) {
  ScratchDir dir;
  dir.write("tiny.yaml", tiny_config);
  dir.write("plain_file", "a file, not a folder");
  const auto r = run_pinnkit("run tiny.yaml -q -o plain_file/x.h5", dir.path());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("plain_file/x.h5"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

}  // namespace pinnkit::testing
