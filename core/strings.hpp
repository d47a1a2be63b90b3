#pragma once
/// \brief Small string helpers shared by messages and listings.
#include <string>
#include <vector>

namespace pinnkit {

/// "a, b, c": the one join of names used in messages and listings.
inline std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : std::string()) + items[i];
  return out;
}

/// The same for anything streamable to a string through std::to_string (ints, sizes).
template <class T>
std::string join_numbers(const std::vector<T>& items, const std::string& separator = ", ") {
  std::vector<std::string> text;
  for (const auto& v : items) text.push_back(std::to_string(v));
  return join(text, separator);
}

}  // namespace pinnkit
