#pragma once
/// \brief Builds the network a ModelSpec describes:
///   [InputScaling to [-1, 1]] [FourierFeatures] then
///   mlp: (Dense + activation) per hidden width, final Dense;
///   kan: one KanLayer per width step (kan_hidden between input and output).
/// Layer names: "input_scaling", "fourier", "dense<i>" / "act<i>", "kan<i>".
#include <cstdint>
#include <memory>
#include <vector>

#include "models/model.hpp"
#include "models/model_spec.hpp"
#include "models/param_store.hpp"

namespace pinnkit::models {

/// Builds the layers and registers their blocks in `store` (not finalized):
/// for callers that add more blocks (adapters) before finalize().
/// lower/upper: the domain box (in_dim entries each). Throws InputError on
/// an unknown type, activation or init, an empty or non-positive width, or a
/// degenerate box.
std::unique_ptr<Model> build_model(const ModelSpec& spec, int in_dim, int out_dim,
                                   const std::vector<double>& lower,
                                   const std::vector<double>& upper, ParamStore& store);

/// build_model, then store.finalize() and initialisation from `seed`.
std::unique_ptr<Model> make_model(const ModelSpec& spec, int in_dim, int out_dim,
                                  const std::vector<double>& lower,
                                  const std::vector<double>& upper, ParamStore& store,
                                  std::uint64_t seed);

}  // namespace pinnkit::models
