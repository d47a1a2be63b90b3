// The generic registry: names are unique, unknown names are input errors
// that list the accepted ones, and key ownership is read from capabilities.
#include <gtest/gtest.h>

#include "core/registry.hpp"

namespace pinnkit {
namespace {

using Entry = RegistryEntry<int>;

Registry<Entry> sample() {
  return Registry<Entry>{"things", "thing.type",
                         {{"a", "the first", 1, {{"x", "y"}}}, {"b", "the second", 2, {{"y"}}}, {"c", "none", 3, {}}}};
}

TEST(Registry, FindsEntriesByNameInOrder) {
  const auto r = sample();
  EXPECT_EQ(r.names(), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_NE(r.find("b"), nullptr);
  EXPECT_EQ(r.find("b")->build, 2);
  EXPECT_EQ(r.find("d"), nullptr);
  EXPECT_EQ(r.get("c").build, 3);
}

TEST(Registry, UnknownNamesAreInputErrorsListingTheAcceptedOnes) {
  const auto r = sample();
  try {
    r.get("d", "f.yaml");
    FAIL() << "d accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.yaml: thing.type: expected one of a, b, c, got 'd'");
  }
  try {
    r.get("d", "f.yaml", "stages[2].thing");
    FAIL() << "d accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.yaml: stages[2].thing: expected one of a, b, c, got 'd'");
  }
}

TEST(Registry, RepeatedOrUndescribedEntriesAreInternalErrors) {
  EXPECT_THROW((Registry<Entry>{"t", "k", {{"a", "one", 1, {}}, {"a", "two", 2, {}}}}), InternalError);
  EXPECT_THROW((Registry<Entry>{"t", "k", {{"a", "", 1, {}}}}), InternalError);
  EXPECT_THROW((Registry<Entry>{"t", "k", {{"", "nameless", 1, {}}}}), InternalError);
}

TEST(Registry, OwnersOfAKeyComeFromTheCapabilities) {
  const auto r = sample();
  EXPECT_EQ(r.owners_of("x"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(r.owners_of("y"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r.owners_of("z").empty());
}

TEST(Join, JoinsWithTheSeparator) {
  EXPECT_EQ(join({}), "");
  EXPECT_EQ(join({"a"}), "a");
  EXPECT_EQ(join({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(join({"a", "b"}, " or "), "a or b");
  EXPECT_EQ(join_numbers(std::vector<int>{3, 4}), "3, 4");
}

}  // namespace
}  // namespace pinnkit
