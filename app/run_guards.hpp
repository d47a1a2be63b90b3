#pragma once
/// \brief Checks of a built experiment that no single section of the config
/// can make (issue 12, item 13): a run that would train nothing is refused,
/// an adapter on an untrained network is pointed out.
#include <string>

#include "io/run_spec.hpp"
#include "models/param_store.hpp"

namespace pinnkit::app {

/// Throws InputError naming `freeze` (or `adapter`) when no parameter is
/// trainable. Returns a warning ("" when none): a LoRA adapter without
/// init_from adapts a randomly initialised network.
std::string check_trainable(const io::RunSpec& spec, const models::ParamStore& store);

}  // namespace pinnkit::app
