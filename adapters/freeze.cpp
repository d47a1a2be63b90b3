#include "adapters/freeze.hpp"

#include "adapters/glob.hpp"
#include "core/error.hpp"

namespace pinnkit::adapters {

namespace {

bool selects(const std::string& pattern, const std::string& block) {
  return glob_match(pattern, block) || glob_match(pattern + ".*", block);
}

std::string some_block_names(const models::ParamStore& store) {
  std::string list;
  const auto& blocks = store.blocks();
  for (std::size_t i = 0; i < blocks.size() && i < 4; ++i) list += (i ? ", " : "") + blocks[i].name;
  return list + (blocks.size() > 4 ? ", ..." : "");
}

}  // namespace

std::vector<std::string> freeze_blocks(models::ParamStore& store, const std::vector<std::string>& patterns,
                                       const std::string& file, const std::string& key) {
  std::vector<bool> hit(store.blocks().size(), false);
  for (std::size_t k = 0; k < patterns.size(); ++k) {
    bool any = false;
    for (std::size_t i = 0; i < store.blocks().size(); ++i)
      if (selects(patterns[k], store.blocks()[i].name)) hit[i] = any = true;
    if (!any)
      throw InputError(input_message(file, key + "[" + std::to_string(k) + "]",
                                     "expected a parameter block name or pattern (" +
                                         some_block_names(store) + "), got '" + patterns[k] + "'"));
  }
  std::vector<std::string> frozen;
  for (std::size_t i = 0; i < hit.size(); ++i)
    if (hit[i]) {
      frozen.push_back(store.blocks()[i].name);
      store.set_trainable(frozen.back(), false);
    }
  return frozen;
}

}  // namespace pinnkit::adapters
