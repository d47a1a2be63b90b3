#pragma once
/// \brief Initial LoRA factors that LoRA on dense layers and on KAN layers
/// share (host, Eigen): balanced random factors and the spectral (LoRA-One)
/// split of a gradient. Callers shift the base weights by -s B0 A0 so that
/// the network is unchanged.
#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "models/param_store.hpp"

namespace pinnkit::adapters {

/// B (m x r) and A (r x n), both row-major.
struct HostFactors {
  std::vector<double> b, a;
};

/// B0 = sigma Q_u, A0 = sigma Q_v^T with orthonormal Q_u (m x r), Q_v (n x r)
/// from the QR of Gaussian matrices drawn into `b_block` / `a_block` through
/// the store's seeded initialiser (so B0^T B0 = A0 A0^T = sigma^2 I).
HostFactors balanced_random_factors(models::ParamStore& store, const std::string& b_block,
                                    const std::string& a_block, int m, int n, int r, std::uint64_t seed,
                                    double sigma = 0.1);

/// B0 = -U_r sqrt(S_r / s_1), A0 = sqrt(S_r / s_1) V_r^T from the SVD of G
/// (m x n), so B0 A0 points downhill and B0^T B0 = A0 A0^T. A zero G has no
/// direction: unit weights on the leading singular vectors.
HostFactors spectral_factors(const Eigen::MatrixXd& g, int r);

}  // namespace pinnkit::adapters
