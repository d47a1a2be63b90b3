#pragma once
/// \brief A row-major array of doubles with its shape: how result files pass
/// shaped data (parameter blocks, adapter factors, evaluation fields).
#include <cstddef>
#include <vector>

namespace pinnkit::io {

/// Values in row-major order; an empty shape is a scalar holding one value.
struct NdArray {
  std::vector<double> values;
  std::vector<std::size_t> shape;
};

/// Number of elements a shape holds (1 for the scalar shape {}).
inline std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t extent : shape) n *= extent;
  return n;
}

}  // namespace pinnkit::io
