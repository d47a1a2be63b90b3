#pragma once
/// \brief The floating-point type of every parameter, activation and loss.
#include <pinnkit/version.hpp>

namespace pinnkit {
#if PINNKIT_SINGLE_PRECISION
using Real = float;
#else
using Real = double;
#endif
inline constexpr const char* real_name = sizeof(Real) == 4 ? "float32" : "float64";
}  // namespace pinnkit
