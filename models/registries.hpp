#pragma once
/// \brief The registries of the models module (core/registry.hpp): network
/// families (`model.type`), activations (`model.activation`) and weight
/// initialisers (`model.init`). Adding a model type, activation or
/// initialiser is one entry here plus its own files.
#include <functional>
#include <string>

#include "core/registry.hpp"
#include "models/activation_functions.hpp"
#include "models/model.hpp"
#include "models/model_spec.hpp"
#include "models/param_store.hpp"

namespace pinnkit::models {

/// Appends the hidden and output layers of one network family to `model`,
/// whose current output width is `width` (after input scaling and Fourier
/// features), registering their blocks in `store` as they are added.
using ModelBuilder =
    std::function<void(Model& model, const ModelSpec& spec, int width, int out_dim, ParamStore& store)>;
using ModelEntry = RegistryEntry<ModelBuilder>;
const Registry<ModelEntry>& model_registry();

/// An activation's kernels are chosen by kind (activation_functions.hpp).
using ActivationEntry = RegistryEntry<ActivationKind>;
const Registry<ActivationEntry>& activation_registry();

/// The initialiser of a (fan_out x fan_in) weight block.
using InitializerBuilder = Initializer (*)(int fan_in, int fan_out);
using InitializerEntry = RegistryEntry<InitializerBuilder>;
const Registry<InitializerEntry>& initializer_registry();

}  // namespace pinnkit::models
