#pragma once
/// \brief Every parameter of a run in one flat MemSpace View, its gradient in
/// another of the same size, and the named blocks that give them shape.
///
/// Optimizers, checkpoints, reductions and adapters work on the flat views;
/// layers work on their blocks. Usage: add() every block, finalize() once
/// (allocates, zero-filled), then initialise and train. Nothing else owns
/// parameter memory; a ParamStore is neither copied nor moved, so layers may
/// keep a reference to it.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/kokkos.hpp"

namespace pinnkit::models {

/// A block's view of the flat storage (no ownership: valid while the store lives).
using ParamView1 = Kokkos::View<Real*, Kokkos::LayoutRight, MemSpace,
                                Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
using ParamView2 = Kokkos::View<Real**, Kokkos::LayoutRight, MemSpace,
                                Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
using ParamView3 = Kokkos::View<Real***, Kokkos::LayoutRight, MemSpace,
                                Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

struct ParamBlock {
  std::string name;        ///< unique, e.g. "layer2.weight"
  std::size_t offset = 0;  ///< first entry in the flat views
  std::vector<int> shape;  ///< row-major
  std::string group;       ///< learning-rate group, e.g. "default", "lora_B"
  bool trainable = true;   ///< false: frozen (optimizers skip it, layers may skip its gradient)
  /// Learning-rate factor of this block on top of its group's `group_lr`
  /// factor (optimizers that honour group_lr: adam, adamw). LoTRA's
  /// lr_scaling: component sets 1/n_in on each layer's U_in block.
  double lr_factor = 1.0;
  std::size_t size() const;
};

/// How to fill a block. Bounds follow PyTorch's conventions:
/// glorot_uniform: U(-g sqrt(6/(fan_in+fan_out)), +...), kaiming_uniform:
/// U(-g sqrt(3/fan_in), +...) with gain g (sqrt(2) for ReLU-like).
struct Initializer {
  enum class Kind { constant, uniform, normal, glorot_uniform, kaiming_uniform };
  Kind kind = Kind::constant;
  double a = 0.0;  ///< constant value | lower bound | mean
  double b = 0.0;  ///< upper bound | stddev
  int fan_in = 1;
  int fan_out = 1;
  double gain = 1.0;

  static Initializer constant(double value);
  static Initializer uniform(double lower, double upper);
  static Initializer normal(double mean, double stddev);
  static Initializer glorot_uniform(int fan_in, int fan_out, double gain = 1.0);
  static Initializer kaiming_uniform(int fan_in, double gain = 1.4142135623730951);
};

class ParamStore {
 public:
  ParamStore() = default;
  ParamStore(const ParamStore&) = delete;
  ParamStore& operator=(const ParamStore&) = delete;

  /// Registers a block before finalize(); returns its index. Throws
  /// InternalError on a duplicate name, an empty/negative shape or after finalize().
  int add(const std::string& name, const std::vector<int>& shape,
          const std::string& group = "default", bool trainable = true);
  /// Allocates params and grads (zero-filled). Blocks are laid out in order of add().
  void finalize();
  bool finalized() const { return finalized_; }

  /// Total number of entries (all blocks).
  std::size_t size() const { return size_; }
  /// Number of entries in trainable blocks.
  std::size_t trainable_size() const;
  const std::vector<ParamBlock>& blocks() const { return blocks_; }
  bool has(const std::string& name) const { return index_.count(name) != 0; }
  /// Throws InternalError when `name` is unknown.
  const ParamBlock& block(const std::string& name) const;
  void set_trainable(const std::string& name, bool trainable);
  /// ParamBlock::lr_factor (> 0); allowed before and after finalize().
  void set_lr_factor(const std::string& name, double factor);

  /// The flat storage (MemSpace); valid after finalize().
  View1<Real> params() const;
  View1<Real> grads() const;
  /// One block of the flat storage, flat or shaped (rank must match the shape).
  ParamView1 params(const std::string& name) const;
  ParamView1 grads(const std::string& name) const;
  ParamView2 params2(const std::string& name) const;
  ParamView2 grads2(const std::string& name) const;
  ParamView3 params3(const std::string& name) const;
  ParamView3 grads3(const std::string& name) const;

  void zero_grads();

  /// Host copies for I/O and tests (double regardless of Real).
  std::vector<double> params_to_host() const;
  std::vector<double> grads_to_host() const;
  void params_from_host(const std::vector<double>& values);
  std::vector<double> block_to_host(const std::string& name) const;
  void block_from_host(const std::string& name, const std::vector<double>& values);

  /// Fills a block from a stream seeded by (block name, seed): the same
  /// numbers for the same seed, whatever the backend or thread count.
  void initialize(const std::string& name, const Initializer& init, std::uint64_t seed);

 private:
  const ParamBlock& finalized_block(const std::string& name, int rank) const;

  std::vector<ParamBlock> blocks_;
  std::map<std::string, int> index_;
  std::size_t size_ = 0;
  bool finalized_ = false;
  View1<Real> params_;
  View1<Real> grads_;
};

}  // namespace pinnkit::models
