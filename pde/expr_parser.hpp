#pragma once
/// \brief Parses an expression (recursive descent) into a tree whose leaves
/// are constants, point coordinates and jet entries (derivatives of outputs).
///
/// Names resolve in this order: function (when followed by '('), constant
/// `pi`/`e`, parameter, input, output (its value), derivative `u_xy` (output
/// name, underscore, input names). See docs/expressions.md.
#include <map>
#include <string>
#include <vector>

#include "pde/expr_lexer.hpp"
#include "pde/expr_program.hpp"

namespace pinnkit::pde {

/// The names an expression may use. Inputs and outputs are letters and
/// digits (no underscore: it separates an output from its derivative).
struct ExprSymbols {
  std::vector<std::string> inputs;   ///< e.g. x, y, t (the point columns, in order)
  std::vector<std::string> outputs;  ///< e.g. u, v, p; empty for fields of the inputs only
  std::map<std::string, double> parameters;
  /// Trainable coefficients (problem.unknowns): read like parameters, but
  /// compiled as extra dual-number variables so that the residual also gives
  /// dr/d(unknown). Empty for fields (values, exact solutions).
  std::vector<std::string> unknowns = {};  // (initialised: {inputs, outputs, params} stays warning-free)
};

/// Throws InputError (prefixed by `context`) for a malformed name, a name
/// given twice, or one that clashes with another kind or a reserved name.
void validate_symbols(const ExprSymbols& symbols, const std::string& context);

/// Reserved names: the functions and the constants pi and e.
bool is_reserved_name(const std::string& name);

/// One tree node. Leaves: constant (value), input (index), read (read);
/// everything else an operator on children a (and b).
struct ExprNode {
  ExprOp op = ExprOp::constant;
  double value = 0;
  int index = 0;
  Read read;
  int unknown = -1;  ///< a read leaf of ExprSymbols::unknowns[unknown] instead of a jet entry
  int a = -1, b = -1;
  std::size_t position = 0;
};

struct ExprTree {
  std::vector<ExprNode> nodes;
  int root = -1;
};

/// Parses `source.text` over `symbols` (already validated). Throws InputError
/// with position and caret for every syntax or name error.
ExprTree parse_expression(const ExprSource& source, const ExprSymbols& symbols);

}  // namespace pinnkit::pde
