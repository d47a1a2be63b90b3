#pragma once
/// \brief What a checkpoint holds of a component (an optimizer's moments,
/// L-BFGS pairs, the point sets' position in their streams, the trainer's
/// counters): named arrays of doubles on the host. Every value a component
/// saves must come back bit for bit (a double holds Real exactly and
/// integers up to 2^53), so that a resumed run ends where an uninterrupted
/// one does. The result writer stores it as the group /checkpoint.
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/kokkos.hpp"

namespace pinnkit::solvers {

class SavedState {
 public:
  std::map<std::string, std::vector<double>>& arrays() { return arrays_; }
  const std::map<std::string, std::vector<double>>& arrays() const { return arrays_; }

  void put(const std::string& name, std::vector<double> values) { arrays_[name] = std::move(values); }
  void put(const std::string& name, double value) { arrays_[name] = {value}; }
  /// Short texts (notes of earlier stages), stored as attributes.
  std::map<std::string, std::string>& texts() { return texts_; }
  const std::map<std::string, std::string>& texts() const { return texts_; }
  /// A device View, copied to the host.
  template <class View>
  void put_view(const std::string& name, const View& view) {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
    std::vector<double> v(host.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(host.data()[i]);
    arrays_[name] = std::move(v);
  }

  bool has(const std::string& name) const { return arrays_.count(name) > 0; }
  const std::vector<double>& get(const std::string& name) const {
    const auto it = arrays_.find(name);
    if (it == arrays_.end()) throw InputError("checkpoint: expected the entry '" + name + "', got none");
    return it->second;
  }
  double scalar(const std::string& name) const {
    const auto& v = get(name);
    if (v.size() != 1) throw InputError("checkpoint: " + name + ": expected one value, got " + std::to_string(v.size()));
    return v[0];
  }
  /// Into a View of the same size (a checkpoint of another network is refused).
  template <class View>
  void get_view(const std::string& name, const View& view) const {
    const auto& v = get(name);
    if (v.size() != view.size())
      throw InputError("checkpoint: " + name + ": expected " + std::to_string(view.size()) + " values, got " +
                       std::to_string(v.size()));
    auto host = Kokkos::create_mirror_view(view);
    for (std::size_t i = 0; i < v.size(); ++i) host.data()[i] = static_cast<typename View::non_const_value_type>(v[i]);
    Kokkos::deep_copy(view, host);
  }

  /// The entries under "prefix." as a state of their own (and back).
  SavedState sub(const std::string& prefix) const {
    SavedState s;
    for (const auto& [k, v] : arrays_)
      if (k.rfind(prefix + ".", 0) == 0) s.arrays_[k.substr(prefix.size() + 1)] = v;
    return s;
  }
  void put_sub(const std::string& prefix, const SavedState& s) {
    for (const auto& [k, v] : s.arrays_) arrays_[prefix + "." + k] = v;
  }

 private:
  std::map<std::string, std::vector<double>> arrays_;
  std::map<std::string, std::string> texts_;
};

}  // namespace pinnkit::solvers
