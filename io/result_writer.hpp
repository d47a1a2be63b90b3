#pragma once
/// \brief Writes the HDF5 result file of a run (schema: docs/hdf5.md).
///
/// The file is written as `path + ".partial"` and renamed to `path` by
/// finish(), which the trainer calls on every way a run ends (completed,
/// diverged, interrupted). The header (provenance, config) is flushed at
/// construction and every history row when appended, so that a crash leaves a
/// readable `.partial` whose status says "running". A writer destroyed
/// without finish() (an exception unwinding through the run) marks the file
/// "interrupted" with a message and leaves it as `.partial`: only finish()
/// produces a file at the final path.
///
/// Errors: a path that cannot be created or written throws InputError naming
/// the file; API misuse (writing after finish, inconsistent sizes) and HDF5
/// failures on an open file throw InternalError.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/result_types.hpp"

namespace pinnkit::io {

class ResultWriter {
 public:
  /// Checks every output path (check_output_paths, output_claim.hpp), creates
  /// the parent directory when missing, claims `path + ".partial"` (an
  /// InputError when another run holds it, before anything is truncated) and
  /// creates it (replacing a stale one; an existing `path` is untouched until
  /// finish()), then writes and flushes the root attributes and /config.
  /// `write_xdmf`: write the ParaView sidecar at finish() when /eval exists.
  ResultWriter(std::string path, const Provenance& provenance, bool write_xdmf = false);
  /// Without finish(): status "interrupted", message "run aborted: ...",
  /// file left as `.partial`. Never throws.
  ~ResultWriter();
  ResultWriter(ResultWriter&&) noexcept;
  ResultWriter& operator=(ResultWriter&&) noexcept;
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  const std::string& path() const;  ///< the final path
  std::string partial_path() const { return path() + ".partial"; }
  /// Whether finish() writes the XDMF sidecar; only before write_eval().
  void set_write_xdmf(bool on);

  /// /model/params, /model/blocks/<name> and architecture attrs of /model
  /// (replaces an earlier write). Blocks must lie inside flat_params.
  void write_model(const std::vector<double>& flat_params, const std::vector<ParamBlock>& blocks,
                   const std::map<std::string, std::string>& architecture);

  /// Appends one row to /history and flushes. A column first seen now is
  /// filled with NaN for the earlier rows; a column missing from `row` gets
  /// NaN, so all columns keep the same length.
  void append_history(const std::map<std::string, double>& row);
  std::size_t history_rows() const;

  /// /eval (replaces an earlier write): points, u_pred, and u_ref + abs_err
  /// when a reference exists; with XDMF also points_xyz (d not 2 or 3) and
  /// one 1-D dataset per field under /eval/fields.
  void write_eval(const EvalData& eval);

  /// Attributes of /metrics (added to, or replacing, earlier ones).
  void write_metrics(const std::map<std::string, double>& metrics);

  /// A generic group /<name> (replaces an earlier one); not one of config,
  /// model, history, eval, metrics.
  void write_group(const std::string& name, const GroupData& group);
  void write_adapter(const GroupData& adapter) { write_group("adapter", adapter); }

  void flush();

  /// Records `status` (not running) and `message` (when not empty) and the
  /// finish time, closes, renames `.partial` to the final path (replacing an
  /// older file) and writes the XDMF sidecar when asked and /eval exists.
  void finish(RunStatus status, const std::string& message = "");
  bool finished() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  State& open_state(const char* operation);
};

}  // namespace pinnkit::io
