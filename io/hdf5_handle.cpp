#include "io/hdf5_handle.hpp"

#include <hdf5.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace pinnkit::io::h5 {

static_assert(std::is_same<hid_t, std::int64_t>::value,
              "pinnkit carries HDF5 identifiers as std::int64_t (HDF5 >= 1.10)");

void silence_error_printing() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

namespace {

herr_t collect_description(unsigned, const H5E_error2_t* err, void* out) {
  auto& lines = *static_cast<std::vector<std::string>*>(out);
  if (err && err->desc && *err->desc) lines.emplace_back(err->desc);
  return 0;
}

// The outermost entry says what the API call failed to do, the innermost one
// why (errno text, wrong signature, missing object): both help a user.
std::string error_stack_text(std::vector<std::string>& lines) {
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_description, &lines);
  H5Eclear2(H5E_DEFAULT);
  if (lines.empty()) return "";
  if (lines.size() == 1 || lines.front() == lines.back()) return lines.front();
  return lines.front() + " (" + lines.back() + ")";
}

/// What ran out, when an entry of the stack is a write that failed for lack
/// of space (HDF5's file drivers quote errno's text); "" otherwise.
std::string exhausted_resource(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    if (line.find(std::strerror(ENOSPC)) != std::string::npos) return "no space left on the device";
    if (line.find(std::strerror(EDQUOT)) != std::string::npos) return "the disk quota is exceeded";
    if (line.find(std::strerror(EFBIG)) != std::string::npos) return "the file size limit is reached";
  }
  return "";
}

}  // namespace

void fail(const std::string& file, Blame blame, const std::string& what) {
  std::string message = file + ": " + what;
  std::vector<std::string> lines;
  const std::string stack = error_stack_text(lines);
  const std::string exhausted = exhausted_resource(lines);
  // A full disk is neither bad input nor a bug: say what happened and that
  // the file keeps what was flushed before (every history row is flushed).
  if (!exhausted.empty())
    throw ResourceError(file + ": cannot write: " + exhausted + " (" + what +
                        "); the file keeps the state of its last flush, and an existing final file of an "
                        "earlier run is unchanged");
  if (!stack.empty()) message += ": HDF5: " + stack;
  if (blame == Blame::input) throw InputError(message);
  throw InternalError(message);
}

std::int64_t checked(std::int64_t id, const Context& ctx, const std::string& what) {
  if (id < 0) fail(ctx.file, ctx.blame, what);
  return id;
}

void checked_status(long status, const Context& ctx, const std::string& what) {
  if (status < 0) fail(ctx.file, ctx.blame, what);
}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    close_quietly();
    id_ = other.release();
  }
  return *this;
}

bool Handle::close_quietly() noexcept {
  const hid_t id = release();
  if (id < 0) return true;
  // A strong file close invalidates every object of the file; nothing left to do.
  if (H5Iis_valid(id) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return true;
  }
  herr_t status = -1;
  switch (H5Iget_type(id)) {
    case H5I_FILE: status = H5Fclose(id); break;
    case H5I_GROUP: status = H5Gclose(id); break;
    case H5I_DATASET: status = H5Dclose(id); break;
    case H5I_ATTR: status = H5Aclose(id); break;
    case H5I_DATASPACE: status = H5Sclose(id); break;
    case H5I_DATATYPE: status = H5Tclose(id); break;
    case H5I_GENPROP_LST: status = H5Pclose(id); break;
    default: status = H5Idec_ref(id); break;
  }
  if (status < 0) H5Eclear2(H5E_DEFAULT);
  return status >= 0;
}

}  // namespace pinnkit::io::h5
