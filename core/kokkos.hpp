#pragma once
/// \brief Execution and memory spaces and the View types every module uses.
///
/// One code path: kernels run on the default execution space of the Kokkos
/// build (OpenMP here, CUDA or HIP with a device build); host code reaches
/// device data only through explicit mirrors.
#include <Kokkos_Core.hpp>

#include "core/real.hpp"

namespace pinnkit {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;
using HostSpace = Kokkos::HostSpace;

template <class T>
using View1 = Kokkos::View<T*, Kokkos::LayoutRight, MemSpace>;
template <class T>
using View2 = Kokkos::View<T**, Kokkos::LayoutRight, MemSpace>;
template <class T>
using View3 = Kokkos::View<T***, Kokkos::LayoutRight, MemSpace>;

template <class T>
using HostView1 = Kokkos::View<T*, Kokkos::LayoutRight, HostSpace>;
template <class T>
using HostView2 = Kokkos::View<T**, Kokkos::LayoutRight, HostSpace>;

}  // namespace pinnkit
