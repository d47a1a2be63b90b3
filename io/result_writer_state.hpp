#pragma once
/// \brief Internal: what a ResultWriter holds between calls (shared by
/// result_writer.cpp and result_writer_eval.cpp; not for other includes).
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "io/hdf5_file.hpp"
#include "io/output_claim.hpp"
#include "io/result_writer.hpp"
#include "io/xdmf.hpp"

namespace pinnkit::io {

struct ResultWriter::State {
  /// The lock on path + ".partial"; declared first so that it is released
  /// after everything else (the file is closed by then).
  std::unique_ptr<OutputClaim> claim;
  std::string path;  ///< final path; the file is path + ".partial" until finish()
  bool write_xdmf = false;
  bool eval_written = false;
  bool finished = false;
  std::optional<h5::File> file;
  std::optional<h5::Group> history;
  std::map<std::string, h5::Dataset> history_columns;
  std::size_t rows = 0;
  std::optional<XdmfPoints> xdmf;  ///< the sidecar's layout, from write_eval

  /// A name usable as one HDF5 link: not empty, no '/', not "." or "..".
  static bool valid_name(const std::string& name);
  /// Closes every handle, then the file (status attrs must be written before).
  void close_file();
};

}  // namespace pinnkit::io
