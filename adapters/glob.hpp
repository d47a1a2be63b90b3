#pragma once
/// \brief Shell-style name patterns ('*' any run, '?' one character) for
/// selecting layers and parameter blocks in configs.
#include <string>

namespace pinnkit::adapters {

/// Whether `name` matches `pattern` as a whole.
bool glob_match(const std::string& pattern, const std::string& name);

}  // namespace pinnkit::adapters
