#pragma once
/// \brief A small RAII layer over the HDF5 C API with plain C++ types: files,
/// groups, attributes, double arrays, strings and appendable 1-D columns.
/// Every failure throws InputError or InternalError naming the file and the
/// object (see Blame in hdf5_handle.hpp). Strings are variable-length UTF-8,
/// numbers native doubles and 64-bit integers, so h5py reads them as str,
/// float and int.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5_handle.hpp"
#include "io/result_array.hpp"

namespace pinnkit::io::h5 {

using Array = io::NdArray;
using io::element_count;

/// What an attribute holds, as far as pinnkit reads attributes.
enum class AttrKind { string, strings, integer, real, integers, other };

/// A group, dataset or file: something that carries attributes.
class Object {
 public:
  const std::string& file() const { return ctx_->file; }
  /// Path of the object inside the file, e.g. "/model/blocks/dense0.W".
  const std::string& path() const { return path_; }

  // Writing an attribute replaces one of the same name.
  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, double value);
  void set_attr(const std::string& name, std::int64_t value);
  void set_attr(const std::string& name, std::uint64_t value);
  void set_attr(const std::string& name, const std::vector<std::string>& values);
  void set_attr(const std::string& name, const std::vector<std::uint64_t>& values);

  bool has_attr(const std::string& name) const;
  std::vector<std::string> attr_names() const;
  AttrKind attr_kind(const std::string& name) const;
  /// Readers: a missing attribute or one of another kind throws (per Blame).
  std::string string_attr(const std::string& name) const;
  std::vector<std::string> strings_attr(const std::string& name) const;
  double real_attr(const std::string& name) const;  ///< any numeric scalar
  std::int64_t int_attr(const std::string& name) const;
  std::uint64_t uint_attr(const std::string& name) const;
  std::vector<std::uint64_t> uints_attr(const std::string& name) const;

 protected:
  Object(ContextPtr ctx, Handle handle, std::string path)
      : ctx_(std::move(ctx)), handle_(std::move(handle)), path_(std::move(path)) {}
  std::string where(const std::string& name) const;  ///< "<path>/<name>" for messages
  std::int64_t open_attr(const std::string& name) const;
  void create_attr(const std::string& name, std::int64_t type, std::int64_t space,
                   const void* data);

  ContextPtr ctx_;
  Handle handle_;
  std::string path_;
};

class Dataset : public Object {
 public:
  std::vector<std::size_t> shape() const;
  /// The values converted to double (any numeric dataset).
  Array read_array() const;
  /// A scalar string dataset (variable or fixed length).
  std::string read_string() const;
  /// Appends to a 1-D extendible dataset made by Group::create_column.
  void append(const std::vector<double>& values);

 private:
  friend class Group;
  using Object::Object;
};

class Group : public Object {
 public:
  bool has(const std::string& name) const;  ///< a direct child of any kind
  bool has_group(const std::string& name) const;
  bool has_dataset(const std::string& name) const;
  std::vector<std::string> children() const;  ///< names in creation order
  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  /// Unlinks a child (the file does not shrink; rewriting a group is rare).
  void remove(const std::string& name);
  void move(const std::string& from, const std::string& to);  ///< renames a child link

  Dataset write_array(const std::string& name, const Array& array);
  Dataset write_string(const std::string& name, const std::string& text);
  /// A 1-D double dataset of length 0 that grows by Dataset::append.
  Dataset create_column(const std::string& name, std::size_t chunk = 1024);
  Dataset open_dataset(const std::string& name) const;

 protected:
  using Object::Object;
};

class File : public Group {
 public:
  /// Creates (truncating an existing file) for writing; objects of a written
  /// file blame pinnkit (InternalError), the create itself blames the path.
  static File create(const std::string& path);
  /// Opens an existing file read-only; every failure is an InputError.
  static File open_read(const std::string& path);

  /// Writes buffered data so that a crash leaves a readable file.
  void flush();
  /// Closes the file and every object still open in it (strong close).
  void close();

 private:
  using Group::Group;
};

}  // namespace pinnkit::io::h5
