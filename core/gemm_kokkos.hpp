#pragma once
/// \brief The portable gemm kernel for memory the host cannot reach (CUDA,
/// HIP, ...): one team per 16x16 tile of C, tiles of op(A) and op(B) staged
/// in team scratch. Correct on every execution space; gemm() calls it only
/// where Eigen cannot run, and tests call it on the host directly.
#include "core/kokkos.hpp"

namespace pinnkit::detail {

template <class Exec, class AView, class BView, class CView>
void gemm_kokkos(const Exec& exec, bool trans_a, bool trans_b, Real alpha, const AView& A,
                 const BView& B, Real beta, const CView& C) {
  constexpr int T = 16;
  const int m = static_cast<int>(C.extent(0));
  const int n = static_cast<int>(C.extent(1));
  const int k = static_cast<int>(trans_a ? A.extent(0) : A.extent(1));
  const int tiles_n = (n + T - 1) / T;
  const int tiles = ((m + T - 1) / T) * tiles_n;
  using Policy = Kokkos::TeamPolicy<Exec>;
  using Member = typename Policy::member_type;
  using Tile = Kokkos::View<Real[T][T], typename Exec::scratch_memory_space,
                            Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  const auto scratch = Kokkos::PerTeam(3 * Tile::shmem_size());
  Policy policy(exec, tiles, Kokkos::AUTO);
  Kokkos::parallel_for(
      "pinnkit::core::gemm::kokkos_tiled", policy.set_scratch_size(0, scratch),
      KOKKOS_LAMBDA(const Member& team) {
        const int i0 = (team.league_rank() / tiles_n) * T;
        const int j0 = (team.league_rank() % tiles_n) * T;
        Tile a(team.team_scratch(0)), b(team.team_scratch(0)), acc(team.team_scratch(0));
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, T * T),
                             [&](int e) { acc(e / T, e % T) = 0; });
        for (int k0 = 0; k0 < k; k0 += T) {
          team.team_barrier();
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, T * T), [&](int e) {
            const int r = e / T, s = e % T;
            const int ia = i0 + r, ka = k0 + s;  // op(A)(ia, ka)
            a(r, s) = (ia < m && ka < k) ? (trans_a ? A(ka, ia) : A(ia, ka)) : Real(0);
            const int kb = k0 + r, jb = j0 + s;  // op(B)(kb, jb)
            b(r, s) = (kb < k && jb < n) ? (trans_b ? B(jb, kb) : B(kb, jb)) : Real(0);
          });
          team.team_barrier();
          Kokkos::parallel_for(Kokkos::TeamThreadRange(team, T * T), [&](int e) {
            const int r = e / T, s = e % T;
            Real sum = 0;
            for (int q = 0; q < T; ++q) sum += a(r, q) * b(q, s);
            acc(r, s) += sum;
          });
        }
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, T * T), [&](int e) {
          const int i = i0 + e / T, j = j0 + e % T;
          if (i < m && j < n)
            C(i, j) = alpha * acc(e / T, e % T) + (beta == Real(0) ? Real(0) : beta * C(i, j));
        });
      });
}

}  // namespace pinnkit::detail
