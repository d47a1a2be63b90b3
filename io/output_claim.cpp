#include "io/output_claim.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/xdmf.hpp"

namespace pinnkit::io {

namespace fs = std::filesystem;

namespace {

std::string kind_of(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode)) return "a character device";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "not a regular file";
}

/// The first bytes of a regular file (fewer when it is shorter).
std::string head_of(const std::string& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(&head[0], static_cast<std::streamsize>(bytes));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool looks_hdf5(const std::string& path) {
  // The superblock signature; pinnkit writes it at offset 0 (HDF5 allows a
  // user block before it, which pinnkit never writes).
  return head_of(path, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

bool looks_xdmf(const std::string& path) {
  const std::string head = head_of(path, 512);
  return head.find("<Xdmf") != std::string::npos;
}

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  const bool same = fs::equivalent(a, b, ec);
  return !ec && same;
}

/// One output path: absent, or a regular file that `ok_content` accepts.
void check_one(const std::string& path, const std::string& role, const std::string& config_file,
               bool (*ok_content)(const std::string&), const std::string& content) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw InputError(path + ": expected a writable " + role + ", got a path that cannot be inspected: " +
                     std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode))
    throw InputError(path + ": expected a regular file or a new name for the " + role + ", got " + kind_of(st) +
                     " (pinnkit never replaces one)");
  if (same_file(path, config_file))
    throw InputError(path + ": expected a " + role + " name, got the config file itself (" + config_file +
                     "); choose another output.file or -o");
  if (ok_content && !ok_content(path))
    throw InputError(path + ": expected a new name or an earlier " + content + " for the " + role +
                     ", got an existing file that is not one; pinnkit does not replace it (remove it, or "
                     "choose another output.file or -o)");
}

/// Whether another process holds the claim on `partial` (never blocks).
bool claimed_by_another_run(const std::string& partial) {
  struct stat st {};
  if (::stat(partial.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  const int fd = ::open(partial.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // releases the probe's lock, if it got one
  return busy;
}

std::string busy_message(const std::string& final_path, const std::string& partial) {
  return final_path + ": expected an output file no other run is writing, got one that another pinnkit run "
                      "is writing now (" + partial + " is locked); choose another output.file or -o, or wait "
                      "for that run to end";
}

}  // namespace

void check_output_paths(const std::string& path, bool xdmf, const std::string& config_file) {
  if (path.empty()) throw InputError("output.file: expected a file name, got an empty path");
  const std::string partial = path + ".partial";
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  // The nearest existing ancestor must be a directory we may write into.
  for (fs::path p = parent; !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      if (p == p.parent_path()) break;
      continue;
    }
    if (!S_ISDIR(st.st_mode))
      throw InputError(path + ": expected a directory at " + p.string() + ", got " +
                       (S_ISREG(st.st_mode) ? std::string("a file") : kind_of(st)));
    if (::access(p.c_str(), W_OK | X_OK) != 0)
      throw InputError(path + ": expected a directory pinnkit may write in, got " + p.string() + " (" +
                       std::strerror(errno) + ")");
    break;
  }
  check_one(path, "result file", config_file, looks_hdf5, "HDF5 file");
  check_one(partial, "partial result file", config_file, nullptr, "");
  if (claimed_by_another_run(partial)) throw InputError(busy_message(path, partial));
  if (xdmf) check_one(xdmf_path_for(path), "XDMF sidecar", config_file, looks_xdmf, "XDMF file");
}

OutputClaim::OutputClaim(const std::string& partial_path, const std::string& final_path) : path_(partial_path) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    struct stat before {};
    const bool existed = ::stat(path_.c_str(), &before) == 0;
    if (existed && !S_ISREG(before.st_mode))
      throw InputError(path_ + ": expected a regular file or a new name, got " + kind_of(before));
    // O_NONBLOCK: a FIFO swapped in after the check must not hang the open.
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd_ < 0)
      throw InputError(path_ + ": expected a file pinnkit can create, got: " + std::strerror(errno));
    struct stat held {};
    if (::fstat(fd_, &held) != 0 || !S_ISREG(held.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw InputError(path_ + ": expected a regular file or a new name, got " + kind_of(held));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      // A file system without locks (some network mounts): run unclaimed,
      // as HDF5 itself does with HDF5_USE_FILE_LOCKING=FALSE.
      if (err == ENOLCK || err == EOPNOTSUPP || err == ENOSYS) {
        created_ = !existed || before.st_ino != held.st_ino;
        return;
      }
      ::close(fd_);
      fd_ = -1;
      if (err == EWOULDBLOCK) throw InputError(busy_message(final_path, path_));
      throw InputError(path_ + ": cannot lock the file: " + std::strerror(err));
    }
    // The lock holds the file we opened; another run may have renamed it to
    // its final name meanwhile. Then the claim is on the wrong file: retry.
    struct stat now {};
    if (::stat(path_.c_str(), &now) == 0 && now.st_ino == held.st_ino && now.st_dev == held.st_dev) {
      created_ = !existed || before.st_ino != held.st_ino;
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw InputError(busy_message(final_path, path_));
}

OutputClaim::~OutputClaim() {
  if (fd_ < 0) return;
  struct stat st {};
  if (created_ && ::fstat(fd_, &st) == 0 && st.st_size == 0) {
    struct stat now {};
    if (::stat(path_.c_str(), &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev)
      ::unlink(path_.c_str());
  }
  ::close(fd_);
}

}  // namespace pinnkit::io
