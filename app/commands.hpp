#pragma once
/// \brief The subcommands of `pinnkit`; each parses its own options and
/// returns the process exit code (ExitCode in core/error.hpp).
#include <string>
#include <vector>

namespace pinnkit::app {

using Args = std::vector<std::string>;  ///< arguments after the subcommand name

int cmd_run(const Args& args);
int cmd_validate(const Args& args);
int cmd_info(const Args& args);
int cmd_list(const Args& args);
int cmd_sweep(const Args& args);
int cmd_collect(const Args& args);

/// Top-level help text (also printed for `pinnkit help`).
std::string usage();

}  // namespace pinnkit::app
