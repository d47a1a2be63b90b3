#include "app/run_guards.hpp"

#include "core/error.hpp"

namespace pinnkit::app {

std::string check_trainable(const io::RunSpec& spec, const models::ParamStore& store) {
  if (store.trainable_size() == 0) {
    std::string frozen;
    for (const auto& f : spec.freeze) frozen += (frozen.empty() ? "" : ", ") + f;
    throw InputError(input_message(
        spec.source_file, spec.freeze.empty() ? "adapter" : "freeze",
        "expected at least one trainable parameter, got none of " + std::to_string(store.size()) +
            (spec.freeze.empty() ? std::string(" (the adapter left nothing to train)")
                                 : " (freeze: [" + frozen + "] freezes every block" +
                                       (spec.adapter.type == "none" ? std::string("")
                                                                    : ", the adapter's factors included") +
                                       ")")));
  }
  if (spec.adapter.type != "none" && spec.init_from.empty())
    return spec.source_file + ": adapter: a " + spec.adapter.type +
           " adapter without init_from adapts a randomly initialised network (set init_from: RUN.h5 to "
           "fine-tune a trained one)";
  return "";
}

}  // namespace pinnkit::app
