// Attributes of the HDF5 layer (any object: file root, group, dataset).
#include <hdf5.h>

#include "io/hdf5_file.hpp"
#include "io/hdf5_strings.hpp"

namespace pinnkit::io::h5 {

namespace {

Handle scalar_space(const Context& ctx) {
  return Handle(checked(H5Screate(H5S_SCALAR), ctx, "cannot create a dataspace"));
}

Handle vector_space(std::size_t n, const Context& ctx) {
  const hsize_t dims[1] = {static_cast<hsize_t>(n)};
  return Handle(checked(H5Screate_simple(1, dims, nullptr), ctx, "cannot create a dataspace"));
}

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

}  // namespace

void Object::create_attr(const std::string& name, std::int64_t type, std::int64_t space,
                         const void* data) {
  const std::string what = "cannot write attribute " + name + " of " + path_;
  const htri_t exists = H5Aexists(handle_.id(), name.c_str());
  checked_status(exists, *ctx_, what);
  if (exists > 0) checked_status(H5Adelete(handle_.id(), name.c_str()), *ctx_, what);
  Handle attr(checked(H5Acreate2(handle_.id(), name.c_str(), type, space, H5P_DEFAULT,
                                 H5P_DEFAULT),
                      *ctx_, what));
  // HDF5 wants a buffer even for zero elements.
  static const char nothing[8] = {};
  checked_status(H5Awrite(attr.id(), type, data ? data : nothing), *ctx_, what);
}

void Object::set_attr(const std::string& name, const std::string& value) {
  Handle type = detail::utf8_string_type(*ctx_);
  const char* text = value.c_str();
  create_attr(name, type.id(), scalar_space(*ctx_).id(), &text);
}

void Object::set_attr(const std::string& name, double value) {
  create_attr(name, H5T_NATIVE_DOUBLE, scalar_space(*ctx_).id(), &value);
}

void Object::set_attr(const std::string& name, std::int64_t value) {
  create_attr(name, H5T_NATIVE_INT64, scalar_space(*ctx_).id(), &value);
}

void Object::set_attr(const std::string& name, std::uint64_t value) {
  create_attr(name, H5T_NATIVE_UINT64, scalar_space(*ctx_).id(), &value);
}

void Object::set_attr(const std::string& name, const std::vector<std::string>& values) {
  Handle type = detail::utf8_string_type(*ctx_);
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  create_attr(name, type.id(), vector_space(values.size(), *ctx_).id(), texts.data());
}

void Object::set_attr(const std::string& name, const std::vector<std::uint64_t>& values) {
  create_attr(name, H5T_NATIVE_UINT64, vector_space(values.size(), *ctx_).id(), values.data());
}

bool Object::has_attr(const std::string& name) const {
  const htri_t exists = H5Aexists(handle_.id(), name.c_str());
  checked_status(exists, *ctx_, "cannot look up attribute " + name + " of " + path_);
  return exists > 0;
}

std::vector<std::string> Object::attr_names() const {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Aiterate2(handle_.id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &index, collect_attr, &names) >=
      0)
    return names;
  H5Eclear2(H5E_DEFAULT);  // written without creation order: by name
  names.clear();
  index = 0;
  checked_status(
      H5Aiterate2(handle_.id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_attr, &names),
      *ctx_, "cannot list the attributes of " + path_);
  return names;
}

std::int64_t Object::open_attr(const std::string& name) const {
  if (!has_attr(name)) fail(file(), ctx_->blame, path_ + ": missing attribute " + name);
  return checked(H5Aopen(handle_.id(), name.c_str(), H5P_DEFAULT), *ctx_,
                 "cannot open attribute " + name + " of " + path_);
}

AttrKind Object::attr_kind(const std::string& name) const {
  Handle attr(open_attr(name));
  Handle type(checked(H5Aget_type(attr.id()), *ctx_, "attribute " + name));
  Handle space(checked(H5Aget_space(attr.id()), *ctx_, "attribute " + name));
  const bool scalar = H5Sget_simple_extent_ndims(space.id()) == 0;
  switch (H5Tget_class(type.id())) {
    case H5T_STRING: return scalar ? AttrKind::string : AttrKind::strings;
    case H5T_INTEGER: return scalar ? AttrKind::integer : AttrKind::integers;
    case H5T_FLOAT: return scalar ? AttrKind::real : AttrKind::other;
    default: return AttrKind::other;
  }
}

namespace {

// Reads a numeric attribute (exactly one value when `scalar`), converted by
// HDF5 to `memtype`; integers never come from a float attribute.
template <class T>
std::vector<T> read_numbers(hid_t attr, hid_t memtype, bool scalar, const Context& ctx,
                            const std::string& what) {
  Handle type(checked(H5Aget_type(attr), ctx, what));
  const H5T_class_t klass = H5Tget_class(type.id());
  const bool wants_integer = H5Tget_class(memtype) == H5T_INTEGER;
  if (klass != H5T_INTEGER && (wants_integer || klass != H5T_FLOAT))
    fail(ctx.file, ctx.blame, what + ": expected " + (wants_integer ? "an integer" : "a number"));
  Handle space(checked(H5Aget_space(attr), ctx, what));
  const hssize_t count = H5Sget_simple_extent_npoints(space.id());
  checked_status(count, ctx, what);
  if (scalar && count != 1) fail(ctx.file, ctx.blame, what + ": expected a single value");
  std::vector<T> values(static_cast<std::size_t>(count) + 1);  // +1: never a null buffer
  checked_status(H5Aread(attr, memtype, values.data()), ctx, what);
  values.pop_back();
  return values;
}

}  // namespace

std::string Object::string_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  const std::string what = path_ + ": attribute " + name;
  auto strings = detail::read_strings(attr.id(), true, *ctx_, what);
  if (strings.size() != 1) fail(file(), ctx_->blame, what + ": expected a single string");
  return strings.front();
}

std::vector<std::string> Object::strings_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  return detail::read_strings(attr.id(), true, *ctx_, path_ + ": attribute " + name);
}

double Object::real_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  return read_numbers<double>(attr.id(), H5T_NATIVE_DOUBLE, true, *ctx_,
                              path_ + ": attribute " + name)[0];
}

std::int64_t Object::int_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  return read_numbers<std::int64_t>(attr.id(), H5T_NATIVE_INT64, true, *ctx_,
                                    path_ + ": attribute " + name)[0];
}

std::uint64_t Object::uint_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  return read_numbers<std::uint64_t>(attr.id(), H5T_NATIVE_UINT64, true, *ctx_,
                                     path_ + ": attribute " + name)[0];
}

std::vector<std::uint64_t> Object::uints_attr(const std::string& name) const {
  Handle attr(open_attr(name));
  return read_numbers<std::uint64_t>(attr.id(), H5T_NATIVE_UINT64, false, *ctx_,
                                     path_ + ": attribute " + name);
}

}  // namespace pinnkit::io::h5
