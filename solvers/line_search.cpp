#include "solvers/line_search.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace pinnkit::solvers {

namespace {

bool finite(const LinePoint& p) { return std::isfinite(p.value) && std::isfinite(p.slope); }

bool sufficient_decrease(const LinePoint& start, const LinePoint& p, double c1) {
  return std::isfinite(p.value) && p.value <= start.value + c1 * p.alpha * start.slope;
}

bool strong_curvature(const LinePoint& start, const LinePoint& p, double c2) {
  return std::isfinite(p.slope) && std::abs(p.slope) <= c2 * std::abs(start.slope);
}

std::string describe(const char* what, const LinePoint& lo, const LinePoint& hi) {
  std::ostringstream s;
  s << what << " (bracket [" << lo.alpha << ", " << hi.alpha << "])";
  return s.str();
}

/// Algorithm 3.6: `lo` satisfies sufficient decrease and has the lowest value
/// seen so far; the interval between lo and hi contains strong Wolfe points.
LineSearchResult zoom(const LineFunction& phi, const LinePoint& start, LinePoint lo, LinePoint hi,
                      const LineSearchSettings& s, LineSearchResult r) {
  while (r.evaluations < s.max_evaluations) {
    const double width = std::abs(hi.alpha - lo.alpha);
    if (width <= 1e-14 * std::max(lo.alpha, hi.alpha)) {
      r.failure = describe("the bracket shrank to rounding level", lo, hi);
      return r;
    }
    const double alpha = safeguarded_cubic_minimiser(lo, hi);
    LinePoint p = phi(alpha);
    p.alpha = alpha;
    ++r.evaluations;
    if (!finite(p) || !sufficient_decrease(start, p, s.c1) || p.value >= lo.value) {
      hi = p;
      continue;
    }
    if (strong_curvature(start, p, s.c2)) {
      r.found = true;
      r.point = p;
      return r;
    }
    if (p.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
    lo = p;
  }
  r.failure = describe("no strong Wolfe point within the evaluation limit", lo, hi);
  return r;
}

}  // namespace

bool satisfies_strong_wolfe(const LinePoint& start, const LinePoint& p, double c1, double c2) {
  return sufficient_decrease(start, p, c1) && strong_curvature(start, p, c2);
}

double safeguarded_cubic_minimiser(const LinePoint& a, const LinePoint& b) {
  const double left = std::min(a.alpha, b.alpha), right = std::max(a.alpha, b.alpha);
  const double mid = 0.5 * (left + right), margin = 0.1 * (right - left);
  if (!finite(a) || !finite(b) || a.alpha == b.alpha) return mid;
  // Nocedal & Wright (3.59), written from b's side.
  const double d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.alpha - b.alpha);
  const double radicand = d1 * d1 - a.slope * b.slope;
  if (!std::isfinite(radicand) || radicand < 0) return mid;
  const double d2 = std::copysign(std::sqrt(radicand), b.alpha - a.alpha);
  const double denominator = b.slope - a.slope + 2 * d2;
  if (denominator == 0) return mid;
  const double c = b.alpha - (b.alpha - a.alpha) * (b.slope + d2 - d1) / denominator;
  if (!std::isfinite(c)) return mid;
  return std::clamp(c, left + margin, right - margin);
}

LineSearchResult strong_wolfe_search(const LineFunction& phi, const LinePoint& start, double first_alpha,
                                     const LineSearchSettings& s) {
  PINNKIT_CHECK(first_alpha > 0 && s.c1 > 0 && s.c1 < s.c2 && s.c2 < 1 && s.extrapolation > 1,
                "strong_wolfe_search: settings out of range");
  LineSearchResult r;
  if (!finite(start) || !(start.slope < 0)) {
    r.failure = "not a descent direction (slope at 0 is not negative)";
    return r;
  }
  LinePoint previous = start;
  double alpha = std::min(first_alpha, s.alpha_max);
  // Algorithm 3.5: grow the step until the interval (previous, current)
  // must contain a strong Wolfe point, or the current point is one.
  while (r.evaluations < s.max_evaluations) {
    LinePoint p = phi(alpha);
    p.alpha = alpha;
    ++r.evaluations;
    if (!finite(p) || !sufficient_decrease(start, p, s.c1) ||
        (previous.alpha > 0 && p.value >= previous.value))
      return zoom(phi, start, previous, p, s, r);
    if (strong_curvature(start, p, s.c2)) {
      r.found = true;
      r.point = p;
      return r;
    }
    if (p.slope >= 0) return zoom(phi, start, p, previous, s, r);
    if (alpha >= s.alpha_max) {
      r.failure = "the step reached alpha_max without a strong Wolfe point";
      return r;
    }
    previous = p;
    alpha = std::min(alpha * s.extrapolation, s.alpha_max);
  }
  r.failure = "no bracket within the evaluation limit";
  return r;
}

}  // namespace pinnkit::solvers
