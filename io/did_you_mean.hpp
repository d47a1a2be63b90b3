#pragma once
/// \brief "Did you mean ...?" suggestions for misspelt keys and names.
#include <string>
#include <vector>

namespace pinnkit::io {

/// Optimal-string-alignment distance: insertions, deletions, substitutions and
/// swaps of adjacent characters each cost 1 (so "hiden" -> "hidden" is 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate closest to `word`, or "" when none is close enough to be a
/// plausible typo (the allowed distance grows with the length of `word`).
std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates);

/// ", did you mean 'x'?" for the nearest candidate, or "" when none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

/// "a, b, c": the candidates for an "expected one of ..." message.
std::string join_names(const std::vector<std::string>& names);

}  // namespace pinnkit::io
