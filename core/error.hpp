#pragma once
/// \brief The exception types, and the exit codes the CLI maps failures to.
/// InputError: the user's config, command line or data file is wrong (exit 2); the message names
/// the file, the key path and what was expected. ResourceError: out of memory or disk space
/// (exit 1, said as such, not as a bug). InternalError (PINNKIT_CHECK) or any other
/// std::exception is a bug of ours (exit 1). Divergence is no exception: the trainer ends with
/// Outcome::diverged (NaN/Inf or exploding loss; last finite parameters kept), the result file is
/// still written with status `diverged`, and `pinnkit run` exits 3 (on SIGINT/SIGTERM: 130).
#include <sstream>
#include <stdexcept>
#include <string>

namespace pinnkit {

enum ExitCode : int { exit_ok = 0, exit_internal = 1, exit_bad_input = 2, exit_diverged = 3 };

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The machine ran out of something a run needs (memory, disk space, a file
/// size limit): exit 1 like an internal error, but not a bug of pinnkit, so
/// the message says what ran out and where instead of asking for a report.
class ResourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Builds "file: key: expected X, got Y" messages.
inline std::string input_message(const std::string& file, const std::string& key,
                                 const std::string& what) {
  std::string m = file;
  if (!key.empty()) m += (m.empty() ? "" : ": ") + key;
  return m + (m.empty() ? "" : ": ") + what;
}

[[noreturn]] inline void internal_failure(const char* cond, const char* file, int line,
                                          const std::string& msg) {
  std::ostringstream s;
  s << file << ":" << line << ": internal check failed (" << cond << ")";
  if (!msg.empty()) s << ": " << msg;
  throw InternalError(s.str());
}

}  // namespace pinnkit

/// Always-on check of an internal invariant (host code only).
#define PINNKIT_CHECK(cond, msg)                                                   \
  do {                                                                             \
    if (!(cond)) ::pinnkit::internal_failure(#cond, __FILE__, __LINE__, (msg));    \
  } while (0)
