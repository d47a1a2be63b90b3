#pragma once
/// \brief A registry of named types that a config may select (`type: kan`,
/// `optimizer: lbfgs`, ...): each entry is {name, one-line description,
/// builder, capabilities}, in the style of pde/catalog.hpp.
///
/// One registry per family (models, activations, initialisers, adapters,
/// optimizers, schedules, samplers) is the single place a name is defined:
/// the config schema's accepted names, `pinnkit list`, the builders and the
/// "expected one of ..." messages all read it. Capabilities always include
/// `keys`, the config keys that belong to the entry (e.g. `history` belongs
/// to lbfgs): the schema rejects such a key under another entry.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace pinnkit {

/// Capabilities every entry has: the config keys of its section that belong
/// to it alone (and to other entries that list them too).
struct BaseCapabilities {
  std::vector<std::string> keys;
};

template <class Builder, class Capabilities = BaseCapabilities>
struct RegistryEntry {
  std::string name;
  std::string description;  ///< one line, shown by `pinnkit list`
  Builder build;
  Capabilities capabilities;
};

template <class Entry>
class Registry {
 public:
  /// `family` names the registry in listings ("optimizers"); `key` is the
  /// config key that selects an entry ("training[].optimizer"). Throws
  /// InternalError on an empty or repeated name or an empty description.
  Registry(std::string family, std::string key, std::vector<Entry> entries)
      : family_(std::move(family)), key_(std::move(key)), entries_(std::move(entries)) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      const auto& e = entries_[i];
      PINNKIT_CHECK(!e.name.empty() && !e.description.empty(),
                    family_ + " registry: entry " + std::to_string(i) + " lacks a name or description");
      for (std::size_t j = 0; j < i; ++j)
        PINNKIT_CHECK(entries_[j].name != e.name, family_ + " registry: '" + e.name + "' registered twice");
    }
  }

  const std::string& family() const { return family_; }
  const std::string& key() const { return key_; }
  const std::vector<Entry>& entries() const { return entries_; }

  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& e : entries_) n.push_back(e.name);
    return n;
  }

  /// The entry called `name`, or nullptr.
  const Entry* find(const std::string& name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }

  /// The entry called `name`; throws InputError "file: key: expected one of
  /// a, b, got 'name'" otherwise (key defaults to the registry's key).
  const Entry& get(const std::string& name, const std::string& file = "", const std::string& key = "") const {
    if (const Entry* e = find(name)) return *e;
    throw InputError(input_message(file, key.empty() ? key_ : key,
                                   "expected one of " + join(names()) + ", got '" + name + "'"));
  }

  /// The entries, other than `name`'s, whose keys include `config_key`.
  std::vector<std::string> owners_of(const std::string& config_key) const {
    std::vector<std::string> owners;
    for (const auto& e : entries_) {
      const auto& k = e.capabilities.keys;
      if (std::find(k.begin(), k.end(), config_key) != k.end()) owners.push_back(e.name);
    }
    return owners;
  }

 private:
  std::string family_;
  std::string key_;
  std::vector<Entry> entries_;
};

}  // namespace pinnkit
