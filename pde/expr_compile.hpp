#pragma once
/// \brief Expression text -> ExprProgram: parse, fold constants, number the
/// jet entries read, and emit a stack program of bounded depth.
#include "pde/expr_parser.hpp"
#include "pde/expr_program.hpp"

namespace pinnkit::pde {

/// Compiles `source.text` over `symbols`. The program's reads are distinct
/// and in canonical order: by output, then total order, then multi-index
/// descending (u, u_x, u_y, u_xx, u_xy, u_yy, v, ...). Throws InputError for
/// invalid symbols, any syntax or name error, or a stack deeper than
/// expr_max_stack.
ExprProgram compile_expression(const ExprSource& source, const ExprSymbols& symbols);

/// Whether `a` comes before `b` in the canonical read order.
bool read_before(const Read& a, const Read& b);

}  // namespace pinnkit::pde
