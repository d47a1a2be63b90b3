#include <iostream>

#include "app/options.hpp"
#include "io/result_reader.hpp"

namespace pinnkit::app {

int cmd_info(const Args& args) {
  Command cmd{"info", "pinnkit info RUN.h5",
              "Prints a summary of a result file: status, versions, config, model size,\n"
              "training history and final metrics."};
  std::string file;
  cmd.hidden.add_options()("file", po::value(&file)->required(), "result file");
  cmd.positional.add("file", 1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  std::cout << io::summarize(io::read_result(file));
  return 0;
}

}  // namespace pinnkit::app
