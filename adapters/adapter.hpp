#pragma once
/// \brief The interface every fine-tuning adapter implements (LoRA today;
/// ODELoRA, SubLoRA, LoTRA and Slim KAN are meant to fit the same mould).
///
/// An adapter IS the layer it adapts (it derives from that layer's class and
/// adopts its parameter blocks, which it freezes), owns the extra blocks it
/// registers in the ParamStore, each in a learning-rate group of its own
/// ("lora_A", "lora_B", ...), can fold itself into the base weights (merge)
/// for export and evaluation, and describes its state for the result file's
/// /adapter group. Integrators that need more than a gradient (ODELoRA's
/// balanced flow, ScaledGD's Gram matrices) read the factor blocks through
/// factor_blocks(); rank selectors (SubLoRA) act through the same blocks.
#include <map>
#include <string>
#include <vector>

#include "core/kokkos.hpp"

namespace pinnkit::adapters {

/// A shaped host array of an adapter's state (row-major).
struct AdapterArray {
  std::vector<double> values;
  std::vector<int> shape;
};

/// What an adapter stores under /adapter: string attributes and arrays,
/// both keyed "<layer>.<what>".
struct AdapterState {
  std::map<std::string, std::string> attrs;
  std::map<std::string, AdapterArray> arrays;
};

/// A low-rank factor pair W += scale * B A (B: out x r, A: r x in) by block name.
struct FactorPair {
  std::string b_block;
  std::string a_block;
  double scale = 1.0;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  /// "lora", ...
  virtual std::string adapter_type() const = 0;
  /// The name of the layer it wraps (also its own layer name).
  virtual const std::string& adapted_layer() const = 0;
  /// The blocks the adapter registered itself (not the adopted base blocks).
  virtual std::vector<std::string> owned_blocks() const = 0;
  /// The low-rank factor pairs among owned_blocks() (empty for non-factored adapters).
  virtual std::vector<FactorPair> factor_blocks() const = 0;

  /// Folds the update into the base weights; the layer's output is unchanged
  /// (to rounding) and training the factors is refused until unmerge().
  virtual void merge(const ExecSpace& exec) = 0;
  /// Takes the update back out of the base weights.
  virtual void unmerge(const ExecSpace& exec) = 0;
  virtual bool merged() const = 0;

  /// Attributes and arrays for the /adapter group (host copies).
  virtual AdapterState state() const = 0;
};

}  // namespace pinnkit::adapters
