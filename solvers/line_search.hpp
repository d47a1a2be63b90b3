#pragma once
/// \brief A line search for the strong Wolfe conditions (Nocedal & Wright,
/// Numerical Optimization, 2nd ed., Algorithms 3.5 and 3.6) with a
/// safeguarded cubic interpolation in the zoom phase.
///
/// It works on phi(alpha) = f(x + alpha d) and its slope phi'(alpha) =
/// grad f(x + alpha d) . d, which the caller evaluates; it never sees x.
#include <functional>
#include <string>

namespace pinnkit::solvers {

struct LineSearchSettings {
  double c1 = 1e-4;  ///< sufficient decrease
  double c2 = 0.9;   ///< curvature (strong form: |phi'(a)| <= c2 |phi'(0)|)
  int max_evaluations = 25;
  double extrapolation = 4.0;  ///< growth of the trial step while no bracket is found
  double alpha_max = 1e20;
};

/// phi and phi' at one step length.
struct LinePoint {
  double alpha = 0, value = 0, slope = 0;
};

/// Evaluates phi and phi' at `alpha` (> 0). A non-finite value counts as
/// "too far": the search backs off from it.
using LineFunction = std::function<LinePoint(double alpha)>;

struct LineSearchResult {
  bool found = false;
  /// The accepted point when found. Postcondition: it is the point of the
  /// last call to the line function, so whatever the caller keeps from its
  /// last evaluation (gradient, loss terms) belongs to it.
  LinePoint point;
  int evaluations = 0;
  std::string failure;  ///< why not found
};

/// Searches from `start` (alpha 0, value and slope of phi at 0; the slope
/// must be negative) with a first trial step `first_alpha` > 0.
LineSearchResult strong_wolfe_search(const LineFunction& phi, const LinePoint& start, double first_alpha,
                                     const LineSearchSettings& settings = {});

/// phi(a) <= phi(0) + c1 a phi'(0) and |phi'(a)| <= c2 |phi'(0)|.
bool satisfies_strong_wolfe(const LinePoint& start, const LinePoint& p, double c1, double c2);

/// Minimiser of the cubic that matches value and slope of phi at `a` and
/// `b`, kept inside the middle 80% of [a, b]; the midpoint when the cubic
/// has no usable minimiser there or a value or slope is not finite.
double safeguarded_cubic_minimiser(const LinePoint& a, const LinePoint& b);

}  // namespace pinnkit::solvers
