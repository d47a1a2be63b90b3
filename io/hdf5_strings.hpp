#pragma once
/// \brief String handling shared by attributes and datasets of the HDF5
/// layer: pinnkit writes variable-length UTF-8 strings and reads both
/// variable- and fixed-length ones (files written by h5py or other tools).
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5_handle.hpp"

namespace pinnkit::io::h5::detail {

/// The variable-length UTF-8 string datatype pinnkit writes.
Handle utf8_string_type(const Context& ctx);

/// Every string held by an attribute (`attribute` true) or a dataset `id`, in
/// storage order; throws per ctx.blame when it does not hold strings.
std::vector<std::string> read_strings(std::int64_t id, bool attribute, const Context& ctx,
                                      const std::string& what);

}  // namespace pinnkit::io::h5::detail
