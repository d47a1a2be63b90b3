#pragma once
/// \brief Tokens of the expression language, and the error messages that
/// point into the expression: "<context>: position N: expected X, got 'Y'"
/// followed by the expression and a caret under column N (1-based).
#include <string>
#include <vector>

namespace pinnkit::pde {

/// The expression being compiled and where it came from (for messages).
struct ExprSource {
  std::string text;
  std::string context;  ///< e.g. "config.yaml: problem.equations[0]"
};

enum class TokenKind { number, name, symbol, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;  ///< as written ("" at the end)
  double number = 0;
  std::size_t position = 0;  ///< 0-based offset into the text
};

/// Splits `source.text`; throws InputError on a character that starts no
/// token or on a malformed number ("1e", "1.2.3"). Ends with a TokenKind::end.
std::vector<Token> tokenize(const ExprSource& source);

/// How a token reads in a message: 'sin', or "end of expression".
std::string describe_token(const Token& token);

/// Throws InputError "<context>: position N: expected <expected>, got <got>"
/// with the expression and a caret line. `got` is used as given.
[[noreturn]] void expr_error(const ExprSource& source, std::size_t position,
                             const std::string& expected, const std::string& got);

/// The candidate closest to `name` by edit distance when it is close enough
/// to be a plausible typo, else "".
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace pinnkit::pde
