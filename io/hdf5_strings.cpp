#include "io/hdf5_strings.hpp"

#include <hdf5.h>

namespace pinnkit::io::h5::detail {

namespace {

herr_t reclaim(hid_t type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
  return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

herr_t read_raw(hid_t id, bool attribute, hid_t memtype, void* buffer) {
  return attribute ? H5Aread(id, memtype, buffer)
                   : H5Dread(id, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
}

}  // namespace

Handle utf8_string_type(const Context& ctx) {
  Handle type(checked(H5Tcopy(H5T_C_S1), ctx, "cannot create a string type"));
  checked_status(H5Tset_size(type.id(), H5T_VARIABLE), ctx, "string type size");
  checked_status(H5Tset_cset(type.id(), H5T_CSET_UTF8), ctx, "string type character set");
  return type;
}

std::vector<std::string> read_strings(std::int64_t id, bool attribute, const Context& ctx,
                                      const std::string& what) {
  Handle file_type(checked(attribute ? H5Aget_type(id) : H5Dget_type(id), ctx, what));
  if (H5Tget_class(file_type.id()) != H5T_STRING)
    fail(ctx.file, ctx.blame, what + ": expected a string, got another type");
  Handle space(checked(attribute ? H5Aget_space(id) : H5Dget_space(id), ctx, what));
  const hssize_t count = H5Sget_simple_extent_npoints(space.id());
  checked_status(count, ctx, what);
  std::vector<std::string> strings;
  if (count == 0) return strings;

  // HDF5 does not convert between character sets: read in the file's own.
  Handle memtype(checked(H5Tcopy(H5T_C_S1), ctx, what));
  checked_status(H5Tset_cset(memtype.id(), H5Tget_cset(file_type.id())), ctx, what);
  const htri_t variable = H5Tis_variable_str(file_type.id());
  checked_status(variable, ctx, what);
  if (variable > 0) {
    checked_status(H5Tset_size(memtype.id(), H5T_VARIABLE), ctx, what);
    std::vector<char*> buffer(static_cast<std::size_t>(count), nullptr);
    checked_status(read_raw(id, attribute, memtype.id(), buffer.data()), ctx, what);
    for (char* s : buffer) strings.emplace_back(s ? s : "");
    reclaim(memtype.id(), space.id(), buffer.data());
    return strings;
  }
  const std::size_t size = H5Tget_size(file_type.id());
  checked_status(H5Tset_size(memtype.id(), size), ctx, what);
  std::vector<char> buffer(size * static_cast<std::size_t>(count) + 1, '\0');
  checked_status(read_raw(id, attribute, memtype.id(), buffer.data()), ctx, what);
  for (hssize_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + static_cast<std::size_t>(i) * size;
    std::size_t length = 0;
    while (length < size && begin[length] != '\0') ++length;  // null-terminated or -padded
    strings.emplace_back(begin, length);
  }
  return strings;
}

}  // namespace pinnkit::io::h5::detail
