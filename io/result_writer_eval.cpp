// ResultWriter::write_eval: /eval and the datasets its XDMF sidecar points at.
#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "io/result_writer_state.hpp"

namespace pinnkit::io {

namespace {

std::vector<double> column(const std::vector<double>& matrix, std::size_t rows,
                           std::size_t cols, std::size_t j) {
  std::vector<double> out(rows);
  for (std::size_t i = 0; i < rows; ++i) out[i] = matrix[i * cols + j];
  return out;
}

// ParaView wants 2 or 3 coordinates per point: 1-D and 4-D+ inputs become
// M x 3 (the first three inputs, zeros after).
std::vector<double> padded_xyz(const std::vector<double>& points, std::size_t rows,
                               std::size_t dims) {
  std::vector<double> xyz(rows * 3, 0.0);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < std::min<std::size_t>(dims, 3); ++k)
      xyz[i * 3 + k] = points[i * dims + k];
  return xyz;
}

}  // namespace

void ResultWriter::write_eval(const EvalData& eval) {
  State& s = open_state("write_eval");
  const std::size_t d = eval.input_names.size();
  const std::size_t m = eval.output_names.size();
  PINNKIT_CHECK(d > 0 && m > 0, "write_eval needs input and output names");
  PINNKIT_CHECK(eval.points.size() % d == 0, "eval points are not M x d");
  const std::size_t rows = eval.points.size() / d;
  const bool has_ref = !eval.u_ref.empty();
  PINNKIT_CHECK(eval.u_pred.size() == rows * m, "eval u_pred is not M x m");
  PINNKIT_CHECK(!has_ref || eval.u_ref.size() == rows * m, "eval u_ref is not M x m");
  PINNKIT_CHECK(eval.abs_err.empty() || (has_ref && eval.abs_err.size() == rows * m),
                "eval abs_err is not M x m or comes without u_ref");
  for (const std::string& name : eval.output_names)
    PINNKIT_CHECK(State::valid_name(name), "output name '" + name + "'");

  if (s.file->has("eval")) s.file->remove("eval");
  h5::Group group = s.file->create_group("eval");
  group.set_attr("input_names", eval.input_names);
  group.set_attr("output_names", eval.output_names);
  group.write_array("points", {eval.points, {rows, d}});
  group.write_array("u_pred", {eval.u_pred, {rows, m}});
  std::vector<double> abs_err = eval.abs_err;
  if (has_ref) {
    if (abs_err.empty()) {
      abs_err.resize(eval.u_pred.size());
      for (std::size_t i = 0; i < abs_err.size(); ++i)
        abs_err[i] = std::abs(eval.u_pred[i] - eval.u_ref[i]);
    }
    group.write_array("u_ref", {eval.u_ref, {rows, m}});
    group.write_array("abs_err", {abs_err, {rows, m}});
  }
  s.eval_written = true;
  s.xdmf.reset();
  if (s.write_xdmf) {
    XdmfPoints layout;
    layout.h5_file = std::filesystem::path(s.path).filename().string();
    layout.count = rows;
    if (d == 2 || d == 3) {
      layout.geometry_dataset = "/eval/points";
      layout.components = static_cast<int>(d);
    } else {
      group.write_array("points_xyz", {padded_xyz(eval.points, rows, d), {rows, 3}});
      layout.geometry_dataset = "/eval/points_xyz";
      layout.components = 3;
    }
    h5::Group fields = group.create_group("fields");
    auto add_field = [&](const std::string& name, const std::vector<double>& matrix,
                         std::size_t j) {
      fields.write_array(name, {column(matrix, rows, m, j), {rows}});
      layout.fields.push_back({name, "/eval/fields/" + name});
    };
    for (std::size_t j = 0; j < m; ++j) {
      const std::string& name = eval.output_names[j];
      add_field(name, eval.u_pred, j);
      if (has_ref) {
        add_field(name + "_ref", eval.u_ref, j);
        add_field(name + "_abs_err", abs_err, j);
      }
    }
    s.xdmf = std::move(layout);
  }
  s.file->flush();
}

}  // namespace pinnkit::io
