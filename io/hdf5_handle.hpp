#pragma once
/// \brief Ownership of one HDF5 identifier and the translation of HDF5's error
/// stack into pinnkit exceptions. hdf5.h stays out of headers: identifiers are
/// carried as std::int64_t (hid_t is a 64-bit integer since HDF5 1.10, checked
/// by a static_assert in hdf5_handle.cpp).
#include <cstdint>
#include <memory>
#include <string>

namespace pinnkit::io::h5 {

/// Who is to blame when an HDF5 call fails on a file: the file a user gave us
/// (InputError), or our own writing code (InternalError).
enum class Blame { input, internal };

/// What every object of one open file shares: the file's name for messages
/// and whom to blame for object-level failures.
struct Context {
  std::string file;
  Blame blame = Blame::input;
};
using ContextPtr = std::shared_ptr<const Context>;

/// Turns HDF5's automatic error printing off (once per process); errors reach
/// the user as exceptions carrying the HDF5 error stack instead.
void silence_error_printing();

/// Throws InputError or InternalError (per `blame`) with the message
/// "file: what: <HDF5 error stack>", and clears the stack.
[[noreturn]] void fail(const std::string& file, Blame blame, const std::string& what);

/// Returns `id` if it is a valid identifier (>= 0), throws via fail() otherwise.
std::int64_t checked(std::int64_t id, const Context& ctx, const std::string& what);
/// Throws via fail() when an HDF5 status (herr_t) or tri-state result is < 0.
void checked_status(long status, const Context& ctx, const std::string& what);

/// Owns one HDF5 identifier of any kind (file, group, dataset, attribute,
/// dataspace, datatype, property list) and closes it with the matching call.
class Handle {
 public:
  Handle() = default;
  explicit Handle(std::int64_t id) : id_(id) {}
  ~Handle() { close_quietly(); }
  Handle(Handle&& other) noexcept : id_(other.release()) {}
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  std::int64_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  std::int64_t release() {
    std::int64_t id = id_;
    id_ = -1;
    return id;
  }
  /// Closes now; returns false when HDF5 reported a failure (never throws).
  bool close_quietly() noexcept;

 private:
  std::int64_t id_ = -1;
};

}  // namespace pinnkit::io::h5
