#include "pde/expr_lexer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/error.hpp"

namespace pinnkit::pde {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

/// Length of the number starting at `i`: digits [. digits] [e [+-] digits].
/// An 'e' not followed by an exponent is left for the next token, so that a
/// mistake like "2e" reports trailing input rather than a bad number.
std::size_t number_length(const std::string& s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  if (j < s.size() && s[j] == '.') {
    ++j;
    while (j < s.size() && is_digit(s[j])) ++j;
  }
  if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
    std::size_t k = j + 1;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    if (k < s.size() && is_digit(s[k])) {
      while (k < s.size() && is_digit(s[k])) ++k;
      j = k;
    }
  }
  return j - i;
}

/// Optimal string alignment distance: a swap of neighbours ("sni" for
/// "sin") counts as one edit, the commonest typo.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// Bytes of the UTF-8 sequence starting at s[i] (1 for ASCII and for a byte
/// that starts no valid sequence).
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
  if (n == 1 || c >= 0xF5 || i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  return n;
}

/// The character at s[i] for a message: the whole UTF-8 character, or the
/// byte in hex when it is a control character or not valid UTF-8.
std::string describe_character(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = utf8_length(s, i);
  if (n > 1) return "'" + s.substr(i, n) + "'";
  if (c < 0x20 || c >= 0x7F) {
    static const char hex[] = "0123456789ABCDEF";
    return std::string(c == 0 ? "a NUL byte" : c < 0x80 ? "the control character" : "the byte") + " 0x" +
           hex[c >> 4] + hex[c & 15] + (c >= 0x80 ? " (not UTF-8)" : "");
  }
  return "'" + std::string(1, s[i]) + "'";
}

/// Characters (UTF-8 code points) in s[from, to).
std::size_t characters(const std::string& s, std::size_t from, std::size_t to) {
  std::size_t n = 0;
  for (std::size_t i = from; i < to && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

/// Longest stretch of the expression shown under a message, in bytes.
constexpr std::size_t shown_width = 72;

}  // namespace

std::vector<Token> tokenize(const ExprSource& source) {
  const std::string& s = source.text;
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.position = i;
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      const std::size_t n = number_length(s, i);
      t.kind = TokenKind::number;
      t.text = s.substr(i, n);
      t.number = std::strtod(t.text.c_str(), nullptr);
      if (i + n < s.size() && s[i + n] == '.')
        expr_error(source, i + n, "a digit or an operator after the number", "'.'");
      i += n;
    } else if (is_name_start(c)) {
      std::size_t j = i;
      while (j < s.size() && is_name_char(s[j])) ++j;
      t.kind = TokenKind::name;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (std::string("+-*/^(),").find(c) != std::string::npos) {
      t.kind = TokenKind::symbol;
      t.text = std::string(1, c);
      ++i;
    } else {
      expr_error(source, i, "a number, a name, an operator or a parenthesis", describe_character(s, i));
    }
    tokens.push_back(t);
  }
  Token end;
  end.position = s.size();
  tokens.push_back(end);
  return tokens;
}

std::string describe_token(const Token& token) {
  return token.kind == TokenKind::end ? "end of expression" : "'" + token.text + "'";
}

void expr_error(const ExprSource& source, std::size_t position, const std::string& expected,
                const std::string& got) {
  const std::string& text = source.text;
  const std::string where = "position " + std::to_string(characters(text, 0, position) + 1);
  const std::string head =
      input_message(source.context, where, "expected " + expected + ", got " + got);
  // A long expression is shown as a window around the position, so that a
  // message about a megabyte of input stays a few lines long.
  std::size_t from = 0, to = text.size();
  if (text.size() > shown_width) {
    from = position > shown_width / 2 ? position - shown_width / 2 : 0;
    to = std::min(text.size(), from + shown_width);
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
    while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
  }
  const std::string before = from > 0 ? "..." : "", after = to < text.size() ? "..." : "";
  std::string shown = text.substr(from, to - from);
  for (char& c : shown)
    if (c == '\n' || c == '\t' || c == '\r' || c == '\0') c = ' ';
  throw InputError(head + "\n  " + before + shown + after + "\n  " +
                   std::string(before.size() + characters(text, from, position), ' ') + "^");
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace pinnkit::pde
