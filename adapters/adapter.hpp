#pragma once
/// \brief The interface every fine-tuning adapter implements (LoRA today;
/// ODELoRA, SubLoRA, LoTRA and Slim KAN plug into the same mould).
///
/// An adapter IS the layer it adapts: it derives from that layer's class
/// (Dense, KanLayer) and overrides the layer's protected hooks for the
/// effective weight / effective coefficient tensor and its gradient, so it
/// never reaches into the layer's privates. It adopts the layer's blocks
/// (usually frozen), registers its own blocks in learning-rate groups of its
/// own ("lora_A", ...), may initialise itself from the gradient of the
/// training loss (spectral init), folds itself into the base weights for
/// /model (merge), and describes its state for /adapter. Steppers that need
/// more than a gradient (ScaledGD, ODELoRA, rank selectors) read the
/// adapter's structure (factor pairs, Tucker factors, SVD triplets).
///
/// Which layers an adapter type applies to and how it is attached is the
/// type's registry entry (adapters/adapter_registry.hpp).
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

/// A Tucker update A += G x1 U_out x2 U_in x3 U_basis of a 3-way tensor, by block name.
struct TuckerFactors {
  std::string core, out, in, basis;
};

/// An SVD-form update W += P diag(s o mask) Q, by block name (the mask
/// block is frozen: 1 kept, 0 pruned; empty when there is none).
struct SvdTriplet {
  std::string p, s, q, mask;
};

/// What steppers may know about the trainable structure of the adapters.
struct AdapterStructure {
  std::vector<FactorPair> factor_pairs;
  std::vector<TuckerFactors> tucker;
  std::vector<SvdTriplet> svd;

  bool empty() const { return factor_pairs.empty() && tucker.empty() && svd.empty(); }
  void append(const AdapterStructure& other) {
    factor_pairs.insert(factor_pairs.end(), other.factor_pairs.begin(), other.factor_pairs.end());
    tucker.insert(tucker.end(), other.tucker.begin(), other.tucker.end());
    svd.insert(svd.end(), other.svd.begin(), other.svd.end());
  }
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  /// The name of the layer it adapts (also its own layer name).
  virtual const std::string& adapted_layer() const = 0;
  /// The blocks the adapter registered itself (not the adopted base blocks).
  virtual std::vector<std::string> owned_blocks() const = 0;
  /// Its factor pairs / Tucker factors / SVD triplets among owned_blocks().
  virtual AdapterStructure structure() const { return {}; }

  /// Initialisation from dL/d(effective weight) of one full backward (e.g.
  /// LoRA-One's spectral init). When wants_gradient_init(), the run turns
  /// capture_gradient(true) on, runs forward + backward of the training
  /// loss once, turns it off and calls init_from_gradient(), which must leave
  /// the layer's function unchanged.
  virtual bool wants_gradient_init() const { return false; }
  virtual void capture_gradient(bool /*on*/) {}
  virtual void init_from_gradient(const ExecSpace& /*exec*/) {}

  /// Folds the update into the base weights; the layer's output is unchanged
  /// (to rounding) and training the adapter is refused until unmerge().
  virtual void merge(const ExecSpace& exec) = 0;
  /// Takes the update back out of the base weights.
  virtual void unmerge(const ExecSpace& exec) = 0;

  /// Attributes and arrays for the /adapter group (host copies).
  virtual AdapterState state() const = 0;
};

}  // namespace pinnkit::adapters
