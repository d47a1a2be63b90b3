#include "io/memory_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "io/config_run_checks.hpp"
#include "pde/catalog.hpp"

namespace pinnkit::io {

namespace {

constexpr double real_bytes = 8;  // double; float builds need less, the check stays conservative enough

int output_count(const pde::ProblemSpec& p) {
  if (p.pde == "custom") return std::max<int>(1, static_cast<int>(p.outputs.size()));
  const pde::ProblemInfo* info = pde::find_problem(p.pde);
  if (info && info->as_custom) {
    std::map<std::string, double> params = info->default_params;
    for (const auto& [name, value] : p.params) params[name] = value;
    return std::max<int>(1, static_cast<int>(info->as_custom(params).outputs.size()));
  }
  return p.pde == "ns2d_lid" ? 3 : 1;
}

std::string count_text(double n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", n);
  return text;
}

}  // namespace

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  char text[48];
  std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return text;
}

MemoryEstimate estimate_memory(const RunSpec& spec) {
  const int known = config::known_input_dim(spec.problem);
  const double d = known > 0 ? known : std::max<double>(2, static_cast<double>(spec.evaluation.grid.size()));
  const double m = output_count(spec.problem);
  const double channels = 1 + 2 * d;  // value, first and second derivative along each input

  // Layer widths, input and output included.
  const auto& m_spec = spec.model;
  const bool kan = m_spec.type == "kan";
  std::vector<double> widths{m_spec.fourier.count > 0 ? 2.0 * m_spec.fourier.count : d};
  for (int w : kan ? m_spec.kan_hidden : m_spec.hidden) widths.push_back(w);
  widths.push_back(m);
  double params = 0, width_sum = 0, width_max = 0;
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    params += kan ? widths[i] * widths[i + 1] * (m_spec.grid + m_spec.degree + (m_spec.base ? 1 : 0))
                  : (widths[i] + 1) * widths[i + 1];
  for (double w : widths) {
    width_sum += w;
    width_max = std::max(width_max, w);
  }
  int history = 0;
  for (const auto& stage : spec.training)
    if (stage.optimizer == "lbfgs") history = std::max(history, stage.history);
  // params, gradient, last good copy, two Adam moments, one spare, and L-BFGS pairs.
  const double model_bytes = real_bytes * params * (6 + 2.0 * history);
  // One chunk of points through the network: values, tape and adjoints of every layer.
  const double chunk_bytes = real_bytes * 256 * channels * width_sum * 3;

  const auto& s = spec.sampling;
  double points = static_cast<double>(s.interior) + s.boundary + s.initial;
  if (s.refine.every > 0) points += static_cast<double>(s.refine.max_points) + s.refine.candidates;
  const double point_bytes = real_bytes * points * (d + 1 + 3 * channels * m);

  const bool sampled = spec.evaluation.points == "sample";
  double grid_points = 1;
  if (sampled)
    grid_points = spec.evaluation.samples;
  else
    for (int n : spec.evaluation.grid) grid_points *= n;
  // Host and device copies of points, predictions, reference and errors, and
  // the network's activations on every point (the evaluation is one forward pass).
  const double eval_bytes = real_bytes * grid_points * (3 * d + 4 * m + width_sum);

  MemoryEstimate e;
  e.bytes = model_bytes + chunk_bytes + point_bytes + eval_bytes;
  const double largest = std::max({model_bytes + chunk_bytes, point_bytes, eval_bytes});
  if (largest == point_bytes)
    e.key = s.refine.every > 0 && s.refine.max_points > s.interior ? "sampling.refine.max_points"
                                                                   : "sampling.interior";
  else if (largest == eval_bytes)
    e.key = sampled ? "evaluation.samples" : "evaluation.grid";
  else
    e.key = kan ? "model.kan_hidden" : "model.hidden";
  e.description = count_text(params) + " parameters (" + format_bytes(model_bytes + chunk_bytes) +
                  " with gradients, optimizer state and layer workspace), " + count_text(points) +
                  " training points (" + format_bytes(point_bytes) + "), " + count_text(grid_points) +
                  " evaluation points (" + format_bytes(eval_bytes) + ")";
  return e;
}

std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

void check_memory(const RunSpec& spec, std::uint64_t memory_bytes) {
  if (memory_bytes == 0) return;
  const MemoryEstimate e = estimate_memory(spec);
  if (e.bytes <= static_cast<double>(memory_bytes)) return;
  throw InputError(input_message(spec.source_file, e.key,
                                 "expected a run that fits in this machine's memory (" +
                                     format_bytes(static_cast<double>(memory_bytes)) +
                                     "), got one that needs about " + format_bytes(e.bytes) + ": " +
                                     e.description));
}

}  // namespace pinnkit::io
