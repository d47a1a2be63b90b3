#include "io/config_source.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "core/error.hpp"

namespace pinnkit::io::config {

Source::Source(std::string file, std::vector<OverrideOrigin> overrides)
    : file_(std::move(file)), overrides_(std::move(overrides)) {}

const OverrideOrigin* Source::origin_of(const std::string& path) const {
  // The last override wins in the tree, so it is the one to blame.
  for (auto o = overrides_.rbegin(); o != overrides_.rend(); ++o) {
    if (is_under(path, o->path)) return &*o;
    for (const auto& c : o->created)
      if (c == path) return &*o;
  }
  return nullptr;
}

void Source::fail(const YAML::Node& at, const std::string& path, const std::string& what) const {
  if (const OverrideOrigin* o = origin_of(path)) {
    const std::string where = path == o->path ? "" : path + ": ";
    throw InputError("--set " + o->text + ": " + where + what);
  }
  std::string where = file_;
  if (at.IsDefined() && at.Mark().line >= 0) where += ":" + std::to_string(at.Mark().line + 1);
  throw InputError(input_message(where, path, what));
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

bool is_under(const std::string& path, const std::string& prefix) {
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

namespace {

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

bool all_digits(const std::string& s, std::size_t from) {
  if (from >= s.size()) return false;
  for (std::size_t i = from; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// YAML 1.2 core-schema integers in decimal: [-+]?[0-9]+
bool looks_integer(const std::string& s) {
  return all_digits(s, (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0);
}

// YAML 1.2 core-schema floats, finite forms only: [-+]?(.[0-9]+|[0-9]+(.[0-9]*)?)([eE][-+]?[0-9]+)?
bool looks_decimal(const std::string& s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!all_digits(s.substr(i), 0)) return false;
    return true;
  }
  return i == s.size();
}

bool looks_non_finite(const std::string& s) {
  std::string t = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
  for (const char* w : {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "inf", "nan", "Infinity"})
    if (t == w) return true;
  return false;
}

}  // namespace

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  if (node.IsNull()) return "null";
  if (node.IsSequence()) return node.size() == 0 ? "an empty list" : "a list";
  if (node.IsMap()) return "a map";
  const std::string& s = node.Scalar();
  if (is_quoted(node)) return "the string \"" + s + "\"";
  if (looks_decimal(s) || looks_non_finite(s)) return s;
  return "'" + s + "'";
}

std::string format_real(double value) {
  char buf[40];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

std::string emit_flow(const YAML::Node& node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

long long read_integer(const Source& src, const YAML::Node& node, const std::string& path,
                       const std::string& expectation) {
  const auto bad = [&] { src.fail(node, path, "expected " + expectation + ", got " + describe(node)); };
  if (!node.IsScalar() || is_quoted(node) || !looks_integer(node.Scalar())) bad();
  errno = 0;
  const long long v = std::strtoll(node.Scalar().c_str(), nullptr, 10);
  if (errno == ERANGE) bad();
  return v;
}

std::uint64_t read_unsigned(const Source& src, const YAML::Node& node, const std::string& path,
                            const std::string& expectation) {
  const auto bad = [&] { src.fail(node, path, "expected " + expectation + ", got " + describe(node)); };
  if (!node.IsScalar() || is_quoted(node) || !all_digits(node.Scalar(), node.Scalar()[0] == '+'))
    bad();
  errno = 0;
  const unsigned long long v = std::strtoull(node.Scalar().c_str(), nullptr, 10);
  if (errno == ERANGE) bad();
  return v;
}

double read_finite(const Source& src, const YAML::Node& node, const std::string& path,
                   const std::string& expectation) {
  const auto bad = [&](const std::string& extra) {
    src.fail(node, path, "expected " + expectation + extra + ", got " + describe(node));
  };
  if (!node.IsScalar() || is_quoted(node)) bad("");
  if (looks_non_finite(node.Scalar())) bad(" (finite)");
  if (!looks_decimal(node.Scalar())) bad("");
  const double v = std::strtod(node.Scalar().c_str(), nullptr);
  if (!std::isfinite(v)) bad(" (finite)");
  return v;
}

bool read_bool(const Source& src, const YAML::Node& node, const std::string& path) {
  if (node.IsScalar() && !is_quoted(node)) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  src.fail(node, path, "expected true or false, got " + describe(node));
}

std::string read_text(const Source& src, const YAML::Node& node, const std::string& path,
                      const std::string& expectation) {
  if (!node.IsScalar()) src.fail(node, path, "expected " + expectation + ", got " + describe(node));
  return node.Scalar();
}

}  // namespace pinnkit::io::config
