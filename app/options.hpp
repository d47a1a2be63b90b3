#pragma once
/// \brief Boost.Program_options glue shared by the subcommands: parse, turn
/// every parse error into an InputError naming the option, print --help.
#include <boost/program_options.hpp>
#include <string>

#include "app/commands.hpp"

namespace pinnkit::app {

namespace po = boost::program_options;

struct Command {
  Command(std::string name_, std::string synopsis_, std::string summary_)
      : name(std::move(name_)), synopsis(std::move(synopsis_)), summary(std::move(summary_)) {}
  std::string name;      ///< e.g. "run"
  std::string synopsis;  ///< e.g. "pinnkit run CONFIG.yaml [options]"
  std::string summary;   ///< one paragraph
  po::options_description options{"Options"};
  po::positional_options_description positional;
  po::options_description hidden;  ///< positional arguments
};

/// Parses `args` for `cmd`. Returns false when --help was asked for (and
/// printed); throws InputError on unknown or malformed options.
bool parse_command(Command& cmd, const Args& args, po::variables_map& vm);

}  // namespace pinnkit::app
