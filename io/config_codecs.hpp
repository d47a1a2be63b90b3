#pragma once
/// \brief Value types of the config schema (internal to io/): each codec reads
/// one YAML value with its checks, writes it back, and says in words what it
/// accepts (the same words serve error messages and docs/config.md).
#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "io/config_source.hpp"

namespace pinnkit::io::config {

/// An int in [lo, hi].
struct IntCodec {
  using value_type = int;
  long long lo = std::numeric_limits<int>::min();
  long long hi = std::numeric_limits<int>::max();
  std::string expectation() const;  ///< "a positive integer"
  std::string plural() const;       ///< "positive integers"
  int read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(int v) const { return YAML::Node(std::to_string(v)); }
};
inline IntCodec positive_int() { return {1}; }
inline IntCodec non_negative_int() { return {0}; }

struct UInt64Codec {
  using value_type = std::uint64_t;
  std::string expectation() const { return "an integer >= 0"; }
  std::string plural() const { return "integers >= 0"; }
  std::uint64_t read(const Source& src, const YAML::Node& node, const std::string& path) const {
    return read_unsigned(src, node, path, expectation());
  }
  YAML::Node write(std::uint64_t v) const { return YAML::Node(std::to_string(v)); }
};

/// A finite double in the interval lo..hi, each end open or closed (infinite = unbounded).
struct RealCodec {
  using value_type = double;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;
  std::string expectation() const;  ///< "a number in (0, 1]"
  std::string plural() const;
  double read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(double v) const { return YAML::Node(format_real(v)); }
};
inline RealCodec any_real() { return {}; }
inline RealCodec positive_real() { return {0.0, std::numeric_limits<double>::infinity(), true}; }
inline RealCodec non_negative_real() { return {0.0}; }
inline RealCodec unit_interval_real(bool lo_open, bool hi_open) { return {0.0, 1.0, lo_open, hi_open}; }

struct BoolCodec {
  using value_type = bool;
  std::string expectation() const { return "true or false"; }
  std::string plural() const { return "booleans"; }
  bool read(const Source& src, const YAML::Node& node, const std::string& path) const {
    return read_bool(src, node, path);
  }
  YAML::Node write(bool v) const { return YAML::Node(v ? "true" : "false"); }
};

/// A name from a registry; an unknown one lists the accepted names and the nearest.
struct NameCodec {
  using value_type = std::string;
  std::function<std::vector<std::string>()> names;
  /// For the docs, instead of the list, where the list grows with the code (the problem catalog).
  std::string docs_text;
  std::string expectation() const;  ///< "one of mlp, kan"
  std::string plural() const;
  std::string read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(const std::string& v) const { return YAML::Node(v); }
};
/// A plain list of names (functions returning a const reference).
inline NameCodec registry(const std::vector<std::string>& (*names)()) {
  return {[names] { return names(); }, ""};
}
/// The names of a Registry (core/registry.hpp), e.g. registry(models::model_registry).
template <class R>
NameCodec registry(const R& (*reg)()) {
  return {[reg] { return reg().names(); }, ""};
}

/// Free text: an expression or a file name. `optional` accepts null and "" (= none).
struct TextCodec {
  using value_type = std::string;
  std::string what = "a string";  ///< "an expression", "a file name"
  bool optional = false;
  std::string expectation() const { return optional ? what + " or null" : "a non-empty " + what.substr(what.find(' ') + 1); }
  std::string plural() const { return what.substr(what.find(' ') + 1) + "s"; }
  std::string read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(const std::string& v) const { return YAML::Node(v); }
};

/// A name usable inside expressions: letters, digits and '_', not starting with a digit.
struct IdentifierCodec {
  using value_type = std::string;
  std::string expectation() const { return "a name (letters, digits, _)"; }
  std::string plural() const { return "names (letters, digits, _)"; }
  std::string read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(const std::string& v) const { return YAML::Node(v); }
};
bool is_identifier(const std::string& s);

/// A YAML list whose entries all use `Elem`.
template <class Elem>
struct ListCodec {
  using value_type = std::vector<typename Elem::value_type>;
  Elem elem;
  std::size_t min_size = 0;
  bool unique = false;

  std::string expectation() const {
    return std::string(min_size > 0 ? "a non-empty list of " : "a list of ") + elem.plural() +
           (unique ? ", no repeats" : "");
  }
  std::string plural() const { return "lists of " + elem.plural(); }
  value_type read(const Source& src, const YAML::Node& node, const std::string& path) const {
    if (!node.IsSequence() || node.size() < min_size)
      src.fail(node, path, "expected " + expectation() + ", got " + describe(node));
    value_type out;
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto v = elem.read(src, node[i], index_path(path, i));
      if (unique && std::find(out.begin(), out.end(), v) != out.end())
        src.fail(node[i], index_path(path, i), "expected " + expectation() + ", got a second " + describe(node[i]));
      out.push_back(v);
    }
    return out;
  }
  YAML::Node write(const value_type& v) const {
    YAML::Node n(YAML::NodeType::Sequence);
    for (const auto& e : v) n.push_back(elem.write(e));
    n.SetStyle(YAML::EmitterStyle::Flow);
    return n;
  }
};

/// A two-entry list: betas [b1, b2], or an interval [a, b] with a < b (`increasing`).
struct PairCodec {
  using value_type = std::array<double, 2>;
  RealCodec elem;
  bool increasing = false;
  std::string expectation() const {
    return increasing ? "an interval [a, b] of finite numbers with a < b" : "a pair [p, q] of " + elem.plural();
  }
  std::string plural() const { return increasing ? "intervals [a, b]" : "pairs of " + elem.plural(); }
  value_type read(const Source& src, const YAML::Node& node, const std::string& path) const;
  YAML::Node write(const value_type& v) const {
    return ListCodec<RealCodec>{elem}.write({v[0], v[1]});
  }
};

}  // namespace pinnkit::io::config
