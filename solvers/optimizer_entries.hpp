#pragma once
/// \brief The flat parameter entries an optimizer may move: the entries of
/// the trainable blocks of a ParamStore, or all of a plain vector.
///
/// Optimizers keep state only for these entries (a frozen block costs no
/// moments and no L-BFGS history) and never write the others. Each entry
/// also knows its block's learning-rate group, so that an optimizer can scale
/// the learning rate per group (LoRA+: a larger rate for the "lora_B" group).
#include <map>
#include <string>
#include <vector>

#include "core/kokkos.hpp"
#include "models/param_store.hpp"

namespace pinnkit::solvers {

class TrainableEntries {
 public:
  /// Every entry of a vector of `n`.
  explicit TrainableEntries(int n);
  /// The entries of the store's blocks whose `trainable` flag is set now
  /// (a later set_trainable is not seen), in flat order.
  explicit TrainableEntries(const models::ParamStore& store);

  /// Number of movable entries (the length of packed vectors).
  int size() const { return static_cast<int>(indices_.extent(0)); }
  /// Length of the full vectors these entries index.
  int full_size() const { return full_size_; }
  bool everything() const { return size() == full_size_; }
  /// Flat index (MemSpace) of each movable entry, increasing.
  View1<const int> indices() const { return indices_; }
  /// The groups of the movable entries, in order of first appearance
  /// ("default" alone for the plain-vector constructor).
  const std::vector<std::string>& groups() const { return groups_; }
  /// Per movable entry (MemSpace): the factor of `group_lr` for its group,
  /// 1 for groups it does not list, times its block's ParamBlock::lr_factor. Groups it lists that no movable entry has
  /// are ignored here (the config check reports them).
  View1<Real> lr_factors(const std::map<std::string, double>& group_lr) const;

  /// packed(i) = full(indices(i)); packed has size(), full has full_size().
  void gather(const ExecSpace& exec, const View1<const Real>& full, const View1<Real>& packed) const;
  /// full(indices(i)) = packed(i); the other entries of `full` are untouched.
  void scatter(const ExecSpace& exec, const View1<const Real>& packed, const View1<Real>& full) const;
  /// max_i |full(indices(i))| (0 when nothing is movable); NaN when any such entry is NaN.
  double inf_norm(const ExecSpace& exec, const View1<const Real>& full) const;

 private:
  void upload(const std::vector<int>& host_indices);
  template <class Full, class Packed>
  bool matches(const Full& full, const Packed& packed) const {
    return static_cast<int>(full.extent(0)) == full_size_ && static_cast<int>(packed.extent(0)) == size();
  }

  int full_size_ = 0;
  View1<int> indices_;
  std::vector<std::string> groups_;
  std::vector<int> group_of_;  ///< host: index into groups_ per movable entry
  std::vector<double> block_factor_;  ///< host: ParamBlock::lr_factor per movable entry (empty: all 1)
};

}  // namespace pinnkit::solvers
