// Datasets of the HDF5 layer: double arrays, scalar strings, appendable columns.
#include <hdf5.h>

#include "core/error.hpp"
#include "io/hdf5_file.hpp"
#include "io/hdf5_strings.hpp"

namespace pinnkit::io::h5 {

namespace {

Handle simple_space(const std::vector<std::size_t>& shape, const Context& ctx) {
  if (shape.empty()) return Handle(checked(H5Screate(H5S_SCALAR), ctx, "scalar dataspace"));
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                        ctx, "simple dataspace"));
}

}  // namespace

Dataset Group::write_array(const std::string& name, const Array& array) {
  PINNKIT_CHECK(array.values.size() == element_count(array.shape),
                "dataset " + where(name) + ": values do not match the shape");
  const std::string what = "cannot write dataset " + where(name);
  Handle space = simple_space(array.shape, *ctx_);
  Handle dataset(checked(H5Dcreate2(handle_.id(), name.c_str(), H5T_NATIVE_DOUBLE, space.id(),
                                    H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         *ctx_, what));
  if (!array.values.empty())
    checked_status(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                            array.values.data()),
                   *ctx_, what);
  return Dataset(ctx_, std::move(dataset), where(name));
}

Dataset Group::write_string(const std::string& name, const std::string& text) {
  const std::string what = "cannot write dataset " + where(name);
  Handle type = detail::utf8_string_type(*ctx_);
  Handle space = simple_space({}, *ctx_);
  Handle dataset(checked(H5Dcreate2(handle_.id(), name.c_str(), type.id(), space.id(),
                                    H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         *ctx_, what));
  const char* data = text.c_str();
  checked_status(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &data), *ctx_,
                 what);
  return Dataset(ctx_, std::move(dataset), where(name));
}

Dataset Group::create_column(const std::string& name, std::size_t chunk) {
  const std::string what = "cannot create dataset " + where(name);
  const hsize_t dims[1] = {0};
  const hsize_t max_dims[1] = {H5S_UNLIMITED};
  const hsize_t chunk_dims[1] = {static_cast<hsize_t>(chunk > 0 ? chunk : 1)};
  Handle space(checked(H5Screate_simple(1, dims, max_dims), *ctx_, what));
  Handle dcpl(checked(H5Pcreate(H5P_DATASET_CREATE), *ctx_, what));
  checked_status(H5Pset_chunk(dcpl.id(), 1, chunk_dims), *ctx_, what);
  Handle dataset(checked(H5Dcreate2(handle_.id(), name.c_str(), H5T_NATIVE_DOUBLE, space.id(),
                                    H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                         *ctx_, what));
  return Dataset(ctx_, std::move(dataset), where(name));
}

Dataset Group::open_dataset(const std::string& name) const {
  Handle dataset(checked(H5Dopen2(handle_.id(), name.c_str(), H5P_DEFAULT), *ctx_,
                         "cannot open dataset " + where(name)));
  return Dataset(ctx_, std::move(dataset), where(name));
}

std::vector<std::size_t> Dataset::shape() const {
  Handle space(checked(H5Dget_space(handle_.id()), *ctx_, path_ + ": dataspace"));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  checked_status(rank, *ctx_, path_ + ": dataspace");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  checked_status(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), *ctx_,
                 path_ + ": dataspace");
  return std::vector<std::size_t>(dims.begin(), dims.end());
}

Array Dataset::read_array() const {
  Handle type(checked(H5Dget_type(handle_.id()), *ctx_, path_ + ": datatype"));
  const H5T_class_t klass = H5Tget_class(type.id());
  if (klass != H5T_FLOAT && klass != H5T_INTEGER)
    fail(file(), ctx_->blame, path_ + ": expected a numeric dataset");
  Array array;
  array.shape = shape();
  array.values.resize(element_count(array.shape));
  if (!array.values.empty())
    checked_status(H5Dread(handle_.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                           array.values.data()),
                   *ctx_, "cannot read " + path_);
  return array;
}

std::string Dataset::read_string() const {
  auto strings = detail::read_strings(handle_.id(), false, *ctx_, path_);
  if (strings.size() != 1) fail(file(), ctx_->blame, path_ + ": expected a single string");
  return strings.front();
}

void Dataset::append(const std::vector<double>& values) {
  if (values.empty()) return;
  const std::string what = "cannot append to " + path_;
  const std::vector<std::size_t> old_shape = shape();
  PINNKIT_CHECK(old_shape.size() == 1, path_ + " is not a 1-D column");
  const hsize_t start[1] = {static_cast<hsize_t>(old_shape[0])};
  const hsize_t count[1] = {static_cast<hsize_t>(values.size())};
  const hsize_t new_size[1] = {start[0] + count[0]};
  checked_status(H5Dset_extent(handle_.id(), new_size), *ctx_, what);
  Handle file_space(checked(H5Dget_space(handle_.id()), *ctx_, what));
  checked_status(
      H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
      *ctx_, what);
  Handle memory_space(checked(H5Screate_simple(1, count, nullptr), *ctx_, what));
  checked_status(H5Dwrite(handle_.id(), H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(),
                          H5P_DEFAULT, values.data()),
                 *ctx_, what);
}

}  // namespace pinnkit::io::h5
