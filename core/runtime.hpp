#pragma once
/// \brief Kokkos initialisation in one place, and the facts about it that
/// every result file records (backend, threads).
#include <optional>
#include <string>

namespace pinnkit {

/// Most host threads a Runtime accepts: Kokkos 3.4's OpenMP backend crashes
/// tearing down a pool of 600 or more threads (512 works), and no machine
/// pinnkit targets has more cores than this.
inline constexpr int max_threads = 512;

/// Initialises Kokkos for its lifetime (one per process). Threads come from
/// `threads` when given, else from OMP_NUM_THREADS / KOKKOS_NUM_THREADS, else
/// Kokkos' own default. More than max_threads, or fewer than 1, is an
/// InputError naming --threads or the environment variable.
class Runtime {
 public:
  explicit Runtime(std::optional<int> threads = std::nullopt);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
};

/// Name of the default execution space, e.g. "OpenMP", "Serial", "Cuda".
std::string backend_name();
/// Concurrency of the default execution space (threads on a host backend).
int backend_threads();
/// "Kokkos 3.4.1" or similar, for provenance.
std::string kokkos_version();

}  // namespace pinnkit
