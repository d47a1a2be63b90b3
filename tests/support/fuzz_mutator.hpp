#pragma once
/// \brief A small, seeded random mutator for the fuzz tests of the
/// expression parser and the config reader (issue 12): deterministic, so a
/// failure is reproducible from the round number it prints.
#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace pinnkit::testing {

class Mutator {
 public:
  Mutator(std::uint32_t seed, std::vector<std::string> dictionary)
      : rng_(seed), dictionary_(std::move(dictionary)) {}

  /// 1 to 4 random edits of `text`.
  std::string mutate(std::string text) {
    const int edits = 1 + static_cast<int>(pick(4));
    for (int e = 0; e < edits; ++e) edit(text);
    return text;
  }

  std::size_t pick(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  void edit(std::string& t) {
    const std::size_t at = pick(t.size() + 1);
    switch (pick(8)) {
      case 0:  // flip a byte to anything, NUL and non-ASCII included
        if (!t.empty()) t[pick(t.size())] = static_cast<char>(pick(256));
        break;
      case 1:  // delete a span
        if (!t.empty()) t.erase(pick(t.size()), 1 + pick(8));
        break;
      case 2:  // insert a dictionary token
        t.insert(at, dictionary_[pick(dictionary_.size())]);
        break;
      case 3: {  // duplicate a span
        if (t.empty()) break;
        const std::size_t from = pick(t.size());
        t.insert(at, t.substr(from, 1 + pick(16)));
        break;
      }
      case 4:  // deep nesting
        t.insert(at, std::string(1 + pick(3000), "([{-"[pick(4)]));
        break;
      case 5:  // a random ASCII character
        t.insert(at, 1, static_cast<char>(32 + pick(95)));
        break;
      case 6:  // a huge or odd number
        t.insert(at, std::vector<std::string>{"1e999", "-0", "99999999999999999999", "2147483648", ".nan",
                                              "-1", "0x10", "1e-400"}[pick(8)]);
        break;
      default:  // swap two bytes
        if (t.size() > 1) std::swap(t[pick(t.size())], t[pick(t.size())]);
        break;
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> dictionary_;
};

/// Rounds of a fuzz test: `standard`, or PINNKIT_FUZZ_ROUNDS when set.
inline int fuzz_rounds(int standard) {
  const char* v = std::getenv("PINNKIT_FUZZ_ROUNDS");
  return v ? std::max(1, std::atoi(v)) : standard;
}

/// Printable form of a fuzz input for a failure message.
inline std::string escaped(const std::string& s, std::size_t limit = 400) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 32 && c < 127 && c != '\\') out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
  }
  if (s.size() > limit) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace pinnkit::testing
