// init_from at the io level: blocks copied by name from a result file,
// adapter blocks skipped, and every mismatch reported with file and key.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"

#include "support/result_helpers.hpp"

namespace pinnkit::io {
namespace {

const std::map<std::string, std::string> arch{{"type", "mlp"}, {"inputs", "2"}, {"outputs", "1"},
                                              {"hidden", "[3]"}, {"activation", "tanh"}};

/// A result whose /model has blocks w (3 x 2) and b (3), values 0.5, 1.5, ...
std::string write_source(const testing::ScratchDir& dir, const std::map<std::string, std::string>& a = arch) {
  const std::string path = dir.file("source.h5");
  ResultWriter w(path, current_provenance("name: s", "s.yaml", 1));
  std::vector<double> flat;
  for (int i = 0; i < 9; ++i) flat.push_back(0.5 + i);
  w.write_model(flat, {{"w", 0, {3, 2}, "default", true}, {"b", 6, {3}, "default", true}}, a);
  w.finish(RunStatus::completed);
  return path;
}

struct Target {
  models::ParamStore store;
  explicit Target(std::vector<int> w_shape = {3, 2}) {
    store.add("w", w_shape);
    store.add("b", {3});
    store.add("w.lora_A", {1, 2}, "lora_A");
    store.finalize();
    store.block_from_host("w.lora_A", {7.0, 8.0});
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(InitFrom, CopiesBlocksByNameAndSkipsAdapterBlocks) {
  testing::ScratchDir dir;
  const auto path = write_source(dir);
  Target t;
  load_initial_model(path, arch, t.store, {"w.lora_A"}, "c.yaml");
  EXPECT_EQ(t.store.block_to_host("w"), (std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5, 5.5}));
  EXPECT_EQ(t.store.block_to_host("b"), (std::vector<double>{6.5, 7.5, 8.5}));
  EXPECT_EQ(t.store.block_to_host("w.lora_A"), (std::vector<double>{7.0, 8.0}));
}

TEST(InitFrom, ArchitectureMismatchNamesFileAndKey) {
  testing::ScratchDir dir;
  const auto path = write_source(dir);
  Target t;
  auto other = arch;
  other["hidden"] = "[4]";
  const auto m = error_of([&] { load_initial_model(path, other, t.store, {"w.lora_A"}, "c.yaml"); });
  EXPECT_NE(m.find(path + ": model.hidden: expected [4] (as in the config), got [3]"), std::string::npos) << m;
  other = arch;
  other["inputs"] = "3";
  const auto d = error_of([&] { load_initial_model(path, other, t.store, {"w.lora_A"}, "c.yaml"); });
  EXPECT_NE(d.find(path + ": problem (inputs): expected 3"), std::string::npos) << d;
}

TEST(InitFrom, MissingOrMisshapenBlockNamesTheBlock) {
  testing::ScratchDir dir;
  const auto path = write_source(dir);
  Target wrong_shape({2, 3});
  const auto m = error_of([&] { load_initial_model(path, arch, wrong_shape.store, {"w.lora_A"}, "c.yaml"); });
  EXPECT_NE(m.find(path + ": /model/blocks/w: expected shape [2, 3], got [3, 2]"), std::string::npos) << m;
  Target t;
  const auto n = error_of([&] { load_initial_model(path, arch, t.store, {}, "c.yaml"); });
  EXPECT_NE(n.find("/model/blocks/w.lora_A: expected a block of shape [1, 2], got none"), std::string::npos) << n;
}

TEST(InitFrom, UnreadableFileNamesTheConfigKeyAndTheFile) {
  testing::ScratchDir dir;
  Target t;
  const auto m = error_of([&] { load_initial_model(dir.file("none.h5"), arch, t.store, {}, "c.yaml"); });
  EXPECT_NE(m.find("c.yaml: init_from: expected a pinnkit result file, got '" + dir.file("none.h5") + "'"),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace pinnkit::io
