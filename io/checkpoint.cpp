#include "io/checkpoint.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "io/run_table.hpp"

namespace pinnkit::io {

namespace {
const GroupData* checkpoint_of(const ResultFile& r) {
  for (const char* name : {"checkpoint", "checkpoint.new"})
    if (const auto it = r.groups.find(name); it != r.groups.end()) return &it->second;
  return nullptr;
}
}  // namespace

GroupData checkpoint_group(const solvers::SavedState& state) {
  GroupData g;
  for (const auto& [name, values] : state.arrays()) g.datasets[name] = NdArray{values, {values.size()}};
  for (const auto& [name, text] : state.texts()) g.attrs[name] = text;
  return g;
}

Resumable read_checkpoint(const ResultFile& result, const std::string& path, const std::string& config_yaml) {
  const GroupData* group = checkpoint_of(result);
  if (!group)
    throw InputError(path + ": /checkpoint: expected a checkpoint (written every output.checkpoint_every steps and "
                            "when a run is stopped by a signal), got none");
  std::map<std::string, std::string> saved, ours;
  for (auto& [k, v] : flatten_config(result.provenance.config_yaml))
    if (k.rfind("output.", 0) != 0) saved[k] = v;
  for (auto& [k, v] : flatten_config(config_yaml))
    if (k.rfind("output.", 0) != 0) ours[k] = v;
  for (const auto& [k, v] : ours) {
    const auto it = saved.find(k);
    const std::string theirs = it == saved.end() ? std::string("no such key") : it->second;
    if (theirs != v)
      throw InputError(path + ": /config: " + k + ": expected " + v + " (this run's config), got " + theirs +
                       " in the checkpointed run; a checkpoint continues only the run it came from");
  }
  for (const auto& [k, v] : saved)
    if (!ours.count(k))
      throw InputError(path + ": /config: " + k + ": expected no such key (this run's config), got " + v +
                       " in the checkpointed run");
  Resumable r;
  for (const auto& [name, array] : group->datasets) r.state.put(name, array.values);
  for (const auto& [name, text] : group->attrs) r.state.texts()[name] = text;
  const double rows = r.state.scalar("trainer.history_rows");
  if (rows < 0 || rows > static_cast<double>(result.history_rows()))
    throw InputError(path + ": /checkpoint/trainer.history_rows: expected at most the " +
                     std::to_string(result.history_rows()) + " rows of /history, got " + std::to_string(rows));
  for (const auto& [column, values] : result.history)
    r.history[column].assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rows));
  return r;
}

std::string resumable_file(const std::string& path) {
  std::error_code ec;
  for (const std::string& p : {path, path + ".partial"}) {
    if (!std::filesystem::exists(p, ec)) continue;
    try {
      const ResultFile r = read_result(p);
      if (r.status != RunStatus::completed && checkpoint_of(r)) return p;
    } catch (const InputError&) {
    }
  }
  return "";
}

}  // namespace pinnkit::io
