#pragma once
/// \brief How much memory a run config needs, estimated from the config
/// alone before anything is allocated (issue 12, item 3), so that an absurd
/// size (`sampling.interior: 2000000000`, `model.hidden: [100000, 100000]`,
/// a huge evaluation grid) is refused as bad input naming the key, instead
/// of failing deep inside an allocation.
///
/// The estimate is a lower-bound-minded sum of the big arrays: parameters
/// with their gradient and optimizer state (L-BFGS history included), the
/// training points with their jets, residuals and adjoints, one chunk of
/// layer jets, and the evaluation points with the network's activations on
/// all of them. It is only compared with the machine's physical memory, so it
/// refuses configs that cannot run anywhere near this machine, not ones that
/// are merely large.
#include <cstdint>
#include <string>

#include "io/run_spec.hpp"

namespace pinnkit::io {

struct MemoryEstimate {
  double bytes = 0;         ///< the whole estimate
  std::string key;          ///< the config key of the largest part
  std::string description;  ///< what the parts are, for the message
};

MemoryEstimate estimate_memory(const RunSpec& spec);

/// Physical memory of this machine in bytes (0 when unknown).
std::uint64_t physical_memory_bytes();

/// Throws InputError "FILE: KEY: expected a run that fits in this machine's
/// memory (M GiB), got one that needs about E GiB (...)" when the estimate
/// exceeds `memory_bytes` (0 = unknown: no check).
void check_memory(const RunSpec& spec, std::uint64_t memory_bytes = physical_memory_bytes());

/// "74.5 GiB", "512 MiB": a byte count for messages.
std::string format_bytes(double bytes);

}  // namespace pinnkit::io
