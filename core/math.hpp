#pragma once
/// \brief Math functions callable inside kernels on every backend: Kokkos'
/// own overloads, which moved from Kokkos::Experimental (3.x) to Kokkos (3.7+).
/// Kernels write `math::tanh(x)`.
#include <Kokkos_Core.hpp>

namespace pinnkit::math {
#if KOKKOS_VERSION >= 30700
using Kokkos::abs;
using Kokkos::cos;
using Kokkos::cosh;
using Kokkos::exp;
using Kokkos::log;
using Kokkos::log1p;
using Kokkos::pow;
using Kokkos::sin;
using Kokkos::sinh;
using Kokkos::sqrt;
using Kokkos::tan;
using Kokkos::tanh;
#else
using Kokkos::Experimental::cos;
using Kokkos::Experimental::cosh;
using Kokkos::Experimental::exp;
using Kokkos::Experimental::fabs;
using Kokkos::Experimental::log;
using Kokkos::Experimental::log1p;
using Kokkos::Experimental::pow;
using Kokkos::Experimental::sin;
using Kokkos::Experimental::sinh;
using Kokkos::Experimental::sqrt;
using Kokkos::Experimental::tan;
using Kokkos::Experimental::tanh;
KOKKOS_INLINE_FUNCTION double abs(double x) { return fabs(x); }
KOKKOS_INLINE_FUNCTION float abs(float x) { return fabs(x); }
#endif
}  // namespace pinnkit::math
