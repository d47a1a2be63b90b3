#include "io/config_codecs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "io/did_you_mean.hpp"

namespace pinnkit::io::config {

namespace {
constexpr long long int_min = std::numeric_limits<int>::min();
constexpr long long int_max = std::numeric_limits<int>::max();
}  // namespace

std::string IntCodec::plural() const {
  if (lo == 1 && hi == int_max) return "positive integers";
  if (lo == int_min && hi == int_max) return "integers";
  if (hi == int_max) return "integers >= " + std::to_string(lo);
  return "integers in " + std::to_string(lo) + ".." + std::to_string(hi);
}

std::string IntCodec::expectation() const {
  const std::string p = plural();
  const std::string singular = p.substr(0, p.find("integers")) + "integer" + p.substr(p.find("integers") + 8);
  return (singular[0] == 'i' ? "an " : "a ") + singular;
}

int IntCodec::read(const Source& src, const YAML::Node& node, const std::string& path) const {
  const long long v = read_integer(src, node, path, expectation());
  if (v < lo || v > hi) src.fail(node, path, "expected " + expectation() + ", got " + describe(node));
  return static_cast<int>(v);
}

namespace {

std::string bound_text(double lo, double hi, bool lo_open, bool hi_open) {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (!has_lo && !has_hi) return "";
  if (has_lo && !has_hi) return (lo_open ? " > " : " >= ") + format_real(lo);
  if (!has_lo) return (hi_open ? " < " : " <= ") + format_real(hi);
  return std::string(" in ") + (lo_open ? "(" : "[") + format_real(lo) + ", " + format_real(hi) +
         (hi_open ? ")" : "]");
}

}  // namespace

std::string RealCodec::expectation() const {
  if (lo == 0.0 && lo_open && !std::isfinite(hi)) return "a positive number";
  const std::string b = bound_text(lo, hi, lo_open, hi_open);
  return b.empty() ? "a finite number" : "a number" + b;
}

std::string RealCodec::plural() const {
  if (lo == 0.0 && lo_open && !std::isfinite(hi)) return "positive numbers";
  const std::string b = bound_text(lo, hi, lo_open, hi_open);
  return b.empty() ? "finite numbers" : "numbers" + b;
}

double RealCodec::read(const Source& src, const YAML::Node& node, const std::string& path) const {
  const double v = read_finite(src, node, path, expectation());
  const bool below = lo_open ? !(v > lo) : v < lo;
  const bool above = hi_open ? !(v < hi) : v > hi;
  if (below || above) src.fail(node, path, "expected " + expectation() + ", got " + describe(node));
  return v;
}

std::string NameCodec::expectation() const { return "one of " + join_names(names()); }
std::string NameCodec::plural() const { return "names from " + join_names(names()); }

std::string NameCodec::read(const Source& src, const YAML::Node& node, const std::string& path) const {
  const std::string v = read_text(src, node, path, expectation());
  const auto accepted = names();
  if (std::find(accepted.begin(), accepted.end(), v) != accepted.end()) return v;
  const std::string nearest = nearest_name(v, accepted);
  src.fail(node, path, "expected " + expectation() + ", got " + describe(node) +
                           (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
}

std::string TextCodec::read(const Source& src, const YAML::Node& node, const std::string& path) const {
  if (optional && node.IsNull()) return "";
  const std::string v = read_text(src, node, path, expectation());
  if (!optional && v.empty()) src.fail(node, path, "expected " + expectation() + ", got an empty string");
  return v;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::string IdentifierCodec::read(const Source& src, const YAML::Node& node, const std::string& path) const {
  const std::string v = read_text(src, node, path, expectation());
  if (!is_identifier(v)) src.fail(node, path, "expected " + expectation() + ", got " + describe(node));
  return v;
}

PairCodec::value_type PairCodec::read(const Source& src, const YAML::Node& node,
                                      const std::string& path) const {
  if (!node.IsSequence() || node.size() != 2)
    src.fail(node, path, "expected " + expectation() + ", got " + describe(node));
  const value_type v{elem.read(src, node[0], index_path(path, 0)),
                     elem.read(src, node[1], index_path(path, 1))};
  if (increasing && !(v[0] < v[1]))
    src.fail(node, path, "expected " + expectation() + ", got [" + format_real(v[0]) + ", " +
                             format_real(v[1]) + "]");
  return v;
}

}  // namespace pinnkit::io::config
