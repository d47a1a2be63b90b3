// Files and groups of the HDF5 layer (attributes: hdf5_attr.cpp, datasets:
// hdf5_dataset.cpp).
#include <hdf5.h>

#include <filesystem>
#include <system_error>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"

namespace pinnkit::io::h5 {

namespace {

// Creation order is tracked so that readers list history columns and
// attributes in the order they were written, not alphabetically.
Handle ordered_creation_plist(hid_t klass, const Context& ctx) {
  Handle plist(checked(H5Pcreate(klass), ctx, "cannot create a property list"));
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  checked_status(H5Pset_link_creation_order(plist.id(), flags), ctx, "link creation order");
  checked_status(H5Pset_attr_creation_order(plist.id(), flags), ctx, "attribute creation order");
  return plist;
}

// Strong close: closing the file closes every object still open in it, so
// that a rename after close() never races with a forgotten handle.
Handle strong_close_access(const Context& ctx) {
  Handle fapl(checked(H5Pcreate(H5P_FILE_ACCESS), ctx, "cannot create a property list"));
  checked_status(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), ctx, "file close degree");
  return fapl;
}

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

}  // namespace

std::string Object::where(const std::string& name) const {
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

File File::create(const std::string& path) {
  silence_error_printing();
  const Context create_ctx{path, Blame::input};
  Handle fcpl = ordered_creation_plist(H5P_FILE_CREATE, create_ctx);
  Handle fapl = strong_close_access(create_ctx);
#if (H5_VERSION_GE(1, 10, 7) && !H5_VERSION_GE(1, 12, 0)) || H5_VERSION_GE(1, 12, 1)
  // The result writer holds its own exclusive claim on the file (an
  // OutputClaim, taken before this truncates it); HDF5's lock on a second
  // descriptor of the same file would conflict with it.
  checked_status(H5Pset_file_locking(fapl.id(), false, true), create_ctx, "file locking");
#endif
  Handle file(checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()), create_ctx,
                      "cannot create the HDF5 file"));
  return File(std::make_shared<const Context>(Context{path, Blame::internal}), std::move(file),
              "/");
}

File File::open_read(const std::string& path) {
  silence_error_printing();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path + ": expected an HDF5 file, got a directory");
  // A FIFO, device or socket would block (or stream) the probe below forever.
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path + ": expected an HDF5 file, got " +
                     (std::filesystem::is_fifo(path, ec)              ? std::string("a FIFO")
                      : std::filesystem::is_character_file(path, ec) ? std::string("a character device")
                      : std::filesystem::is_block_file(path, ec)     ? std::string("a block device")
                      : std::filesystem::is_socket(path, ec)         ? std::string("a socket")
                                                                      : std::string("something that is not a regular file")));
  const Context ctx{path, Blame::input};
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 == 0) {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(path + ": not an HDF5 file");
  }
  checked_status(is_hdf5, ctx, "cannot read the file");
  Handle fapl = strong_close_access(ctx);
#if (H5_VERSION_GE(1, 10, 7) && !H5_VERSION_GE(1, 12, 0)) || H5_VERSION_GE(1, 12, 1)
  // A running writer holds the file lock: reading its flushed `.partial`
  // (`pinnkit info` on a live run) must not wait for it.
  checked_status(H5Pset_file_locking(fapl.id(), false, true), ctx, "file locking");
#endif
  Handle file(checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.id()), ctx,
                      "cannot open the HDF5 file"));
  return File(std::make_shared<const Context>(ctx), std::move(file), "/");
}

void File::flush() {
  if (H5Fflush(handle_.id(), H5F_SCOPE_LOCAL) < 0) fail(file(), Blame::input, "cannot flush");
}

void File::close() {
  if (!handle_.valid()) return;
  const hid_t id = handle_.release();
  if (H5Fclose(id) < 0) fail(file(), Blame::input, "cannot close the file");
}

bool Group::has(const std::string& name) const {
  const htri_t exists = H5Lexists(handle_.id(), name.c_str(), H5P_DEFAULT);
  checked_status(exists, *ctx_, "cannot look up " + where(name));
  return exists > 0;
}

namespace {
H5I_type_t child_type(hid_t group, const std::string& name) {
  const hid_t id = H5Oopen(group, name.c_str(), H5P_DEFAULT);
  if (id < 0) {
    H5Eclear2(H5E_DEFAULT);
    return H5I_BADID;
  }
  Handle object(id);
  return H5Iget_type(id);
}
}  // namespace

bool Group::has_group(const std::string& name) const {
  return has(name) && child_type(handle_.id(), name) == H5I_GROUP;
}

bool Group::has_dataset(const std::string& name) const {
  return has(name) && child_type(handle_.id(), name) == H5I_DATASET;
}

std::vector<std::string> Group::children() const {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Literate(handle_.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_link, &names) >=
      0)
    return names;
  H5Eclear2(H5E_DEFAULT);  // a group written without creation order: by name
  names.clear();
  index = 0;
  checked_status(
      H5Literate(handle_.id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_link, &names),
      *ctx_, "cannot list " + path_);
  return names;
}

Group Group::create_group(const std::string& name) {
  Handle gcpl = ordered_creation_plist(H5P_GROUP_CREATE, *ctx_);
  Handle group(checked(H5Gcreate2(handle_.id(), name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT),
                       *ctx_, "cannot create group " + where(name)));
  return Group(ctx_, std::move(group), where(name));
}

Group Group::open_group(const std::string& name) const {
  Handle group(checked(H5Gopen2(handle_.id(), name.c_str(), H5P_DEFAULT), *ctx_,
                       "cannot open group " + where(name)));
  return Group(ctx_, std::move(group), where(name));
}

void Group::move(const std::string& from, const std::string& to) {
  checked_status(H5Lmove(handle_.id(), from.c_str(), handle_.id(), to.c_str(), H5P_DEFAULT, H5P_DEFAULT), *ctx_,
                 "cannot rename " + where(from) + " to " + to);
}

void Group::remove(const std::string& name) {
  checked_status(H5Ldelete(handle_.id(), name.c_str(), H5P_DEFAULT), *ctx_,
                 "cannot remove " + where(name));
}

}  // namespace pinnkit::io::h5
