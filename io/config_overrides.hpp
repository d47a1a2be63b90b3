#pragma once
/// \brief `--set key.path=value` overrides (internal to io/): written into the
/// parsed YAML tree before it is validated, so that they pass the same checks
/// as the file; the returned origins let errors blame the override.
#include <string>
#include <vector>

#include "io/config_source.hpp"

namespace pinnkit::io::config {

/// Applies each "key.path=value" to `root` (a map) in order. Paths use dots
/// for keys and [i] or .i for list entries (training[1].lr, training.1.lr);
/// index i may be one past the end to append. A map indexed with [0] becomes
/// a list of one (a single-map `training:`). Throws InputError for a malformed
/// override or a path that runs into a scalar.
std::vector<OverrideOrigin> apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides);

}  // namespace pinnkit::io::config
