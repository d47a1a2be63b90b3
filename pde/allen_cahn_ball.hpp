#pragma once
/// \brief The high-dimensional Allen-Cahn template of the SVD-PINN transfer
/// experiments (Gao et al., arXiv 2211.08760; methods.md 7): on the unit ball
/// of R^d times [0, 1],
///   u_t - Lap u - u + u^3 = f,
///   u* = e^-t [sin(pi/2 |1 - |x||^2.5) + c sin(pi/2 (1 - |x|))],
/// with f manufactured from u*, u = u* on the sphere and at t = 0. The source
/// family is c = 0; the paper's targets are c in {0.5, 2, 50}.
#include <map>
#include <memory>
#include <string>

#include "pde/problem_spec.hpp"

namespace pinnkit::pde {

class Problem;

/// The instance as a custom-problem spec on Ball(d) x [0, 1]: inputs x1..xd, t.
/// params: d (an integer >= 2) and c.
ProblemSpec allen_cahn_ball_spec(const std::map<std::string, double>& params);

/// The same, with the parameters checked (InputError naming
/// `source: problem.params.d`) and the inverse-problem parts of `spec` added.
std::unique_ptr<Problem> make_allen_cahn_ball(const ProblemSpec& spec, const std::string& source);

}  // namespace pinnkit::pde
