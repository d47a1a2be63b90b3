// The table loader: PINNacle's files read into the right shapes, and every
// way a file can be wrong is an InputError naming the file and the line.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/error.hpp"
#include "pde/reference_data.hpp"

namespace pinnkit::pde {

namespace {

namespace fs = std::filesystem;

/// A file with `text` in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& text, const std::string& name = "table.dat") {
    dir_ = fs::temp_directory_path() / ("pinnkit_refdata_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(counter_++));
    fs::create_directories(dir_);
    std::ofstream(dir_ / name) << text;
    path_ = (dir_ / name).string();
  }
  ~TempFile() { fs::remove_all(dir_); }
  const std::string& path() const { return path_; }
  std::string dir() const { return dir_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  std::string path_;
};

/// Sets an environment variable for the lifetime of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_)
      ::setenv(name_, old_.c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

/// The InputError message `read` throws; fails the test when none is thrown.
template <class F>
std::string input_error_of(F read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

}  // namespace

TEST(ReferenceData, BurgersTableHasElevenTimesOfOneHundredAndOneNodes) {
  const auto table = read_data_table(data_file("pinnacle/burgers1d.dat"));
  EXPECT_EQ(table.rows, 101);
  EXPECT_EQ(table.columns, 12);
  const auto times = header_times(table);
  ASSERT_EQ(times.size(), 11u);
  for (int j = 0; j < 11; ++j) EXPECT_NEAR(times[j], 0.1 * j, 1e-12);
  EXPECT_EQ(table.at(0, 0), -1.0);
  EXPECT_EQ(table.at(100, 0), 1.0);

  const auto ref = reference_from_time_columns(table, times);
  ASSERT_EQ(ref.size(), 1111);
  EXPECT_EQ(ref.inputs, 2);
  EXPECT_EQ(ref.outputs, 1);
  // x runs fastest, then t; the first column block is the initial value -sin(pi x).
  EXPECT_EQ(ref.points[2 * 101 + 1], 0.1);
  EXPECT_EQ(ref.points[2 * 101], -1.0);
  for (int i = 0; i < 101; ++i) EXPECT_NEAR(ref.values[i], -std::sin(M_PI * ref.points[2 * i]), 1e-5);
}

TEST(ReferenceData, ColumnTablesSplitIntoPointsAndValues) {
  TempFile file("% x y u v\n0 1 2 3\n4 5 6 7\n\n8 9 10 11\n");
  const auto ref = reference_from_columns(read_data_table(file.path()), 2, 2);
  ASSERT_EQ(ref.size(), 3);
  EXPECT_EQ(ref.points, (std::vector<double>{0, 1, 4, 5, 8, 9}));
  EXPECT_EQ(ref.values, (std::vector<double>{2, 3, 6, 7, 10, 11}));
  EXPECT_EQ(ref.source, file.path());
}

TEST(ReferenceData, PinnacleTablesHaveTheDocumentedColumns) {
  const auto poisson = read_data_table(data_file("pinnacle/poisson1_cg_data.dat"), 3);
  EXPECT_EQ(poisson.rows, 1246);
  const auto lid = read_data_table(data_file("pinnacle/lid_driven_a4.dat"), 5);
  EXPECT_EQ(lid.rows, 10201);
  EXPECT_TRUE(header_times(lid).empty());
}

TEST(ReferenceData, AMalformedNumberNamesFileLineAndColumn) {
  TempFile file("% header\n1 2\n3 x4\n");
  const auto m = input_error_of([&] { read_data_table(file.path()); });
  EXPECT_NE(m.find(file.path() + ":3"), std::string::npos) << m;
  EXPECT_NE(m.find("column 2: expected a number, got 'x4'"), std::string::npos) << m;
}

TEST(ReferenceData, RaggedRowsAndWrongWidthsAreRejected) {
  TempFile ragged("1 2\n3 4 5\n");
  auto m = input_error_of([&] { read_data_table(ragged.path()); });
  EXPECT_NE(m.find(ragged.path() + ":2"), std::string::npos) << m;
  EXPECT_NE(m.find("expected 2 numbers, got 3"), std::string::npos) << m;

  TempFile narrow("% a b\n1 2\n");
  m = input_error_of([&] { read_data_table(narrow.path(), 3); });
  EXPECT_NE(m.find(narrow.path() + ":2"), std::string::npos) << m;
  EXPECT_NE(m.find("expected 3 numbers, got 2"), std::string::npos) << m;

  m = input_error_of([&] { reference_from_columns(read_data_table(narrow.path()), 2, 1); });
  EXPECT_NE(m.find("expected 3 columns, got 2"), std::string::npos) << m;
  m = input_error_of([&] { reference_from_time_columns(read_data_table(narrow.path()), {0.0, 1.0}); });
  EXPECT_NE(m.find("expected x and 2 time columns, got 2 columns"), std::string::npos) << m;
}

TEST(ReferenceData, HeaderAfterDataEmptyAndMissingFilesAreRejected) {
  TempFile late("1 2\n% late\n");
  auto m = input_error_of([&] { read_data_table(late.path()); });
  EXPECT_NE(m.find(late.path() + ":2"), std::string::npos) << m;

  TempFile empty("% only a header\n\n");
  m = input_error_of([&] { read_data_table(empty.path()); });
  EXPECT_NE(m.find("expected rows of numbers, got none"), std::string::npos) << m;

  const std::string missing = empty.dir() + "/missing.dat";
  m = input_error_of([&] { read_data_table(missing); });
  EXPECT_NE(m.find(missing), std::string::npos) << m;
}

TEST(ReferenceData, EnvironmentVariableOverridesTheDataDirectory) {
  TempFile file("1 2\n", "mine.dat");
  ScopedEnv env("PINNKIT_DATA_DIR", file.dir());
  EXPECT_EQ(fs::path(data_dir()), fs::path(file.dir()));
  EXPECT_EQ(read_data_table(data_file("mine.dat")).rows, 1);
  const auto m = input_error_of([] { data_file("pinnacle/burgers1d.dat"); });
  EXPECT_NE(m.find(file.dir()), std::string::npos) << m;
  EXPECT_NE(m.find("PINNKIT_DATA_DIR"), std::string::npos) << m;
}

TEST(ReferenceData, ANonexistentOverrideIsAnInputError) {
  ScopedEnv env("PINNKIT_DATA_DIR", "/nonexistent/pinnkit/data");
  const auto m = input_error_of([] { data_dir(); });
  EXPECT_NE(m.find("PINNKIT_DATA_DIR: expected a directory, got '/nonexistent/pinnkit/data'"), std::string::npos) << m;
}

TEST(ReferenceData, HeaderTimesMustBeNumbers) {
  TempFile file("% X  u @ t=0  u @ t=abc\n1 2 3\n");
  const auto m = input_error_of([&] { header_times(read_data_table(file.path())); });
  EXPECT_NE(m.find("expected a time after '@ t=', got 'abc'"), std::string::npos) << m;
}

}  // namespace pinnkit::pde
