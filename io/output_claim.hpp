#pragma once
/// \brief Before a run writes anything: is every path it will write usable,
/// and is no other run writing the same file? (issue 12, items 2, 5, 11).
///
/// A run writes OUT (an HDF5 file, via OUT.partial) and its XDMF sidecar.
/// check_output_paths() refuses, as an InputError naming the path, every
/// path the run could not write at the end or must not replace: a directory,
/// a FIFO, a device or socket, an existing file that is not an earlier result
/// of the same kind (the config itself, say), an OUT.partial another run is
/// writing. It writes nothing, so `run` calls it before training.
///
/// OutputClaim is the exclusive claim a writer holds until finish(): an
/// advisory lock (flock) on OUT.partial, taken before the file is truncated,
/// so that a second run on the same OUT stops without touching a byte of the
/// first one's file. A crashed run's lock goes with its process, so a stale
/// OUT.partial is claimed (and replaced) by the next run. On a file system
/// without locks the run goes on unclaimed.
#include <string>

namespace pinnkit::io {

/// Throws InputError for the first unusable output path (see the file brief).
/// `config_file` (may be empty) is never a valid output.
void check_output_paths(const std::string& path, bool xdmf, const std::string& config_file = "");

class OutputClaim {
 public:
  /// Opens `partial_path` (creating it empty when missing, never truncating)
  /// and locks it, or throws InputError naming `final_path` when another
  /// process holds the lock.
  OutputClaim(const std::string& partial_path, const std::string& final_path);
  /// Releases the lock; removes the file when the claim created it and
  /// nothing was written to it (a run that failed before its first write).
  ~OutputClaim();
  OutputClaim(const OutputClaim&) = delete;
  OutputClaim& operator=(const OutputClaim&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
};

}  // namespace pinnkit::io
