#include "adapters/factor_init.hpp"

#include <cmath>

namespace pinnkit::adapters {

HostFactors balanced_random_factors(models::ParamStore& store, const std::string& b_block,
                                    const std::string& a_block, int m, int n, int r, std::uint64_t seed,
                                    double sigma) {
  store.initialize(b_block, models::Initializer::normal(0.0, 1.0), seed ^ 0x9e3779b97f4a7c15ULL);
  store.initialize(a_block, models::Initializer::normal(0.0, 1.0), seed ^ 0x5851f42d4c957f2dULL);
  const auto gb = store.block_to_host(b_block), ga = store.block_to_host(a_block);
  Eigen::MatrixXd u(m, r), v(n, r);
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < r; ++k) u(i, k) = gb[std::size_t(i) * r + k];
  for (int k = 0; k < r; ++k)
    for (int j = 0; j < n; ++j) v(j, k) = ga[std::size_t(k) * n + j];
  const Eigen::MatrixXd qu = Eigen::HouseholderQR<Eigen::MatrixXd>(u).householderQ() * Eigen::MatrixXd::Identity(m, r);
  const Eigen::MatrixXd qv = Eigen::HouseholderQR<Eigen::MatrixXd>(v).householderQ() * Eigen::MatrixXd::Identity(n, r);
  HostFactors f{std::vector<double>(std::size_t(m) * r), std::vector<double>(std::size_t(r) * n)};
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < r; ++k) f.b[std::size_t(i) * r + k] = sigma * qu(i, k);
  for (int k = 0; k < r; ++k)
    for (int j = 0; j < n; ++j) f.a[std::size_t(k) * n + j] = sigma * qv(j, k);
  return f;
}

HostFactors spectral_factors(const Eigen::MatrixXd& g, int r) {
  const int m = static_cast<int>(g.rows()), n = static_cast<int>(g.cols());
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(g, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const auto& sv = svd.singularValues();
  const double top = sv(0) > 0 ? sv(0) : 1.0;
  HostFactors f{std::vector<double>(std::size_t(m) * r), std::vector<double>(std::size_t(r) * n)};
  for (int k = 0; k < r; ++k) {
    const double w = sv(0) > 0 ? std::sqrt(sv(k) / top) : 1.0;
    for (int i = 0; i < m; ++i) f.b[std::size_t(i) * r + k] = -svd.matrixU()(i, k) * w;
    for (int j = 0; j < n; ++j) f.a[std::size_t(k) * n + j] = svd.matrixV()(j, k) * w;
  }
  return f;
}

}  // namespace pinnkit::adapters
