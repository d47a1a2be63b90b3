#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/options.hpp"
#include "core/error.hpp"
#include "io/run_table.hpp"

namespace pinnkit::app {

namespace fs = std::filesystem;

namespace {

/// Result files under each argument (folders searched recursively, sorted),
/// in argument order; a .partial file is a run still writing and is left out.
std::vector<std::string> result_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".h5") found.push_back(it->path().string());
      if (ec) throw InputError(p + ": expected a readable folder, got " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      throw InputError(input_message("command line", p, "expected a result file or a folder of them, got nothing at that path"));
    }
  }
  return files;
}

}  // namespace

int cmd_collect(const Args& args) {
  Command cmd{"collect", "pinnkit collect DIR_OR_FILE... [--csv | --markdown]",
              "One table of many runs: a row per result file (folders are searched for *.h5)\n"
              "with its status, the config keys whose values differ between the runs, and\n"
              "every metric (errors, final loss, steps, training time). Files that are not\n"
              "pinnkit results are named on stderr and left out (exit 2 after the table)."};
  std::vector<std::string> paths;
  cmd.options.add_options()("csv", po::bool_switch(), "comma-separated values")(
      "markdown", po::bool_switch(), "a Markdown table");
  cmd.hidden.add_options()("paths", po::value(&paths)->required(), "result files or folders");
  cmd.positional.add("paths", -1);
  po::variables_map vm;
  if (!parse_command(cmd, args, vm)) return 0;
  if (vm["csv"].as<bool>() && vm["markdown"].as<bool>())
    throw InputError(input_message("command line", "--csv/--markdown", "expected at most one of them"));
  std::vector<io::ResultFile> results;
  std::vector<std::string> names;
  int code = exit_ok;
  for (const auto& f : result_files(paths)) {
    try {
      results.push_back(io::read_result(f));
      names.push_back(f);
    } catch (const InputError& e) {
      std::cerr << "pinnkit collect: skipped " << e.what() << "\n";
      code = exit_bad_input;
    }
  }
  if (results.empty() && code == exit_ok)
    throw InputError(input_message("command line", "pinnkit collect", "expected at least one result file, found none"));
  const auto table = io::run_table(results, names);
  std::cout << (vm["csv"].as<bool>() ? io::format_csv(table)
                                     : vm["markdown"].as<bool>() ? io::format_markdown(table) : io::format_text(table));
  return code;
}

}  // namespace pinnkit::app
