#include "solvers/refinement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace pinnkit::solvers {

std::vector<int> largest_indices(const std::vector<double>& score, int count) {
  const int n = static_cast<int>(score.size());
  count = std::max(0, std::min(count, n));
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto better = [&score](int a, int b) {
    const bool na = std::isnan(score[a]), nb = std::isnan(score[b]);
    if (na != nb) return nb;  // a number beats NaN
    if (!na && score[a] != score[b]) return score[a] > score[b];
    return a < b;
  };
  std::partial_sort(order.begin(), order.begin() + count, order.end(), better);
  order.resize(count);
  return order;
}

ResidualRefinement::ResidualRefinement(const RefineSpec& spec, const std::string& method, int dim,
                                       std::uint64_t seed)
    : spec_(spec), sampler_(method == "grid" ? "uniform" : method, dim, seed) {
  PINNKIT_CHECK(spec.candidates > 0 && spec.add > 0 && spec.max_points > 0,
                "ResidualRefinement: non-positive counts");
}

int ResidualRefinement::quota(int current) const {
  return std::max(0, std::min(spec_.add, std::min(spec_.candidates, spec_.max_points - current)));
}

std::vector<double> ResidualRefinement::draw_candidates(const pde::Geometry& domain) {
  const pde::UnitSource source{[this](int m) { return sampler_.next(m); }, false};
  return domain.sample_interior(spec_.candidates, source);
}

std::vector<double> ResidualRefinement::pick(const std::vector<double>& candidates, int dim,
                                             const std::vector<double>& score, int count) {
  PINNKIT_CHECK(dim > 0 && candidates.size() == score.size() * static_cast<std::size_t>(dim),
                "ResidualRefinement::pick: one score per candidate expected");
  std::vector<double> picked;
  for (int i : largest_indices(score, count))
    picked.insert(picked.end(), candidates.begin() + static_cast<std::size_t>(i) * dim,
                  candidates.begin() + static_cast<std::size_t>(i + 1) * dim);
  return picked;
}

}  // namespace pinnkit::solvers
