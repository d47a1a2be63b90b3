// The XDMF sidecar: file naming, geometry for 1-D/2-D/3-D inputs, fields
// pointing at datasets that exist and hold the right values.
#include <gtest/gtest.h>

#include "io/hdf5_file.hpp"
#include "io/result_reader.hpp"
#include "io/result_writer.hpp"
#include "io/xdmf.hpp"

#include "support/result_helpers.hpp"

namespace pinnkit::io {
namespace {

namespace fs = std::filesystem;

using testing::file_text;
using testing::sample_eval;
using testing::sample_provenance;
using testing::ScratchDir;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Writes a result with an evaluation of `rows` points in `d` dimensions and
// returns the sidecar's text ("" when none was written).
std::string xdmf_for(const ScratchDir& dir, std::size_t rows, std::size_t d, bool reference,
                     bool xdmf = true) {
  const std::string path = dir.file("field.h5");
  ResultWriter writer(path, sample_provenance(), xdmf);
  writer.write_eval(sample_eval(rows, d, 2, reference));
  writer.finish(RunStatus::completed);
  const std::string sidecar = dir.file("field.xdmf");
  return fs::exists(sidecar) ? file_text(sidecar) : "";
}

TEST(Xdmf, SidecarPathReplacesTheExtension) {
  EXPECT_EQ(xdmf_path_for("results/run.h5"), "results/run.xdmf");
  EXPECT_EQ(xdmf_path_for("run.hdf5"), "run.xdmf");
  EXPECT_EQ(xdmf_path_for("run.data"), "run.data.xdmf");
  EXPECT_EQ(xdmf_path_for(".h5"), ".h5.xdmf");
}

TEST(Xdmf, TwoDimensionalPointsUseXYOverTheEvalPoints) {
  ScratchDir dir;
  const std::string text = xdmf_for(dir, 11, 2, true);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_NE(text.find("NumberOfElements=\"11\""), std::string::npos) << text;
  EXPECT_NE(text.find("GeometryType=\"XY\""), std::string::npos) << text;
  EXPECT_NE(text.find("Dimensions=\"11 2\""), std::string::npos) << text;
  EXPECT_NE(text.find(">field.h5:/eval/points<"), std::string::npos) << text;
  for (const char* field : {"u", "u_ref", "u_abs_err", "v1", "v1_ref", "v1_abs_err"})
    EXPECT_NE(text.find(std::string(">field.h5:/eval/fields/") + field + "<"), std::string::npos)
        << field;
  EXPECT_EQ(occurrences(text, "<Attribute "), 6u);
  EXPECT_EQ(occurrences(text, "</Attribute>"), 6u);
  EXPECT_EQ(occurrences(text, "<DataItem "), occurrences(text, "</DataItem>"));
  EXPECT_EQ(text.substr(text.size() - 8), "</Xdmf>\n");
}

TEST(Xdmf, FieldDatasetsHoldTheColumnsOfThePredictions) {
  ScratchDir dir;
  ASSERT_FALSE(xdmf_for(dir, 5, 2, true).empty());
  const EvalData eval = sample_eval(5, 2, 2, true);
  h5::File file = h5::File::open_read(dir.file("field.h5"));
  h5::Group fields = file.open_group("eval").open_group("fields");
  const h5::Array v = fields.open_dataset("v1").read_array();
  EXPECT_EQ(v.shape, (std::vector<std::size_t>{5}));
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(v.values[i], eval.u_pred[i * 2 + 1]) << i;
  const h5::Array ref = fields.open_dataset("u_ref").read_array();
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(ref.values[i], eval.u_ref[i * 2]) << i;
}

TEST(Xdmf, OneDimensionalPointsArePaddedToXYZ) {
  ScratchDir dir;
  const std::string text = xdmf_for(dir, 4, 1, false);
  EXPECT_NE(text.find("GeometryType=\"XYZ\""), std::string::npos) << text;
  EXPECT_NE(text.find(">field.h5:/eval/points_xyz<"), std::string::npos) << text;
  EXPECT_EQ(text.find("_ref"), std::string::npos) << text;
  h5::File file = h5::File::open_read(dir.file("field.h5"));
  const h5::Array xyz = file.open_group("eval").open_dataset("points_xyz").read_array();
  ASSERT_EQ(xyz.shape, (std::vector<std::size_t>{4, 3}));
  const EvalData eval = sample_eval(4, 1, 2, false);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(xyz.values[i * 3], eval.points[i]);
    EXPECT_EQ(xyz.values[i * 3 + 1], 0.0);
    EXPECT_EQ(xyz.values[i * 3 + 2], 0.0);
  }
}

TEST(Xdmf, ThreeDimensionalPointsUseXYZDirectly) {
  ScratchDir dir;
  const std::string text = xdmf_for(dir, 6, 3, false);
  EXPECT_NE(text.find("GeometryType=\"XYZ\""), std::string::npos) << text;
  EXPECT_NE(text.find(">field.h5:/eval/points<"), std::string::npos) << text;
}

TEST(Xdmf, NoSidecarWithoutRequestOrEval) {
  ScratchDir dir;
  EXPECT_TRUE(xdmf_for(dir, 3, 2, true, false).empty());
  ResultWriter(dir.file("noeval.h5"), sample_provenance(), true).finish(RunStatus::completed);
  EXPECT_FALSE(fs::exists(dir.file("noeval.xdmf")));
}

TEST(Xdmf, NamesAreEscapedForXml) {
  XdmfPoints points{"a&b.h5", 2, "/eval/points", 2, {{"u<1>", "/eval/fields/u\"1"}}};
  const std::string text = xdmf_text(points);
  EXPECT_NE(text.find("a&amp;b.h5:/eval/points"), std::string::npos) << text;
  EXPECT_NE(text.find("Name=\"u&lt;1&gt;\""), std::string::npos) << text;
  EXPECT_NE(text.find("/eval/fields/u&quot;1"), std::string::npos) << text;
}

TEST(Xdmf, PythonParsesTheSidecarAsXml) {
  if (!testing::have_command("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  ScratchDir dir;
  ASSERT_FALSE(xdmf_for(dir, 9, 2, true).empty());
  const std::string check =
      "/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; "
      "g = E.parse(sys.argv[1]).getroot().find(\"Domain/Grid\"); "
      "sys.exit(0 if len(g.findall(\"Attribute\")) == 6 else 1)' " +
      dir.file("field.xdmf");
  EXPECT_EQ(std::system(check.c_str()), 0);
}

}  // namespace
}  // namespace pinnkit::io
