#include "app/options.hpp"

#include <iostream>

#include "core/error.hpp"

namespace pinnkit::app {

bool parse_command(Command& cmd, const Args& args, po::variables_map& vm) {
  cmd.options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(cmd.options).add(cmd.hidden);
  try {
    po::store(po::command_line_parser(args).options(all).positional(cmd.positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "Usage: " << cmd.synopsis << "\n\n" << cmd.summary << "\n\n" << cmd.options;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw InputError(input_message("command line", "pinnkit " + cmd.name,
                                   std::string(e.what()) + " (see 'pinnkit " + cmd.name + " --help')"));
  }
  return true;
}

}  // namespace pinnkit::app
