#pragma once
/// \brief `freeze:` of a config: marks parameter blocks as not trainable, so
/// that they get no gradient and no optimizer state.
#include <string>
#include <vector>

#include "models/param_store.hpp"

namespace pinnkit::adapters {

/// Freezes every block whose name matches one of `patterns` (glob_match), or
/// whose layer does ("dense0" freezes dense0.weight and dense0.bias). Returns
/// the frozen block names in store order. A pattern that matches no block
/// throws InputError "file: key[i]: expected a parameter block name or
/// pattern (...), got 'p'".
std::vector<std::string> freeze_blocks(models::ParamStore& store, const std::vector<std::string>& patterns,
                                       const std::string& file, const std::string& key = "freeze");

}  // namespace pinnkit::adapters
