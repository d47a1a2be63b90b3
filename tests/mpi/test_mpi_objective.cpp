// Under `mpirun -np 2`: the objective split across ranks gives the loss
// (every term) and the gradient of the single-process objective on the same
// global point sets, to 1e-12 relative (tol(1e-12) in float: the ranks sum
// their points in another order), on every rank, with and without
// refinement-grown and resampled sets; a stop signal on one rank stops all.
// Exit 0 when every check passed on every rank.
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <atomic>
#include <cmath>
#include <cstdio>

#include "app/mpi_session.hpp"
#include "solvers/objective.hpp"
#include "support/precision.hpp"
#include "support/solver_fixture.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what, int rank) {
  if (!ok) {
    ++failures;
    std::fprintf(stderr, "rank %d: FAIL %s\n", rank, what);
  }
}

std::vector<double> host(const pinnkit::View1<pinnkit::Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.size());
}

double rel_diff(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

void compare(const pinnkit::Communicator& comm, int interior, bool resample) {
  using namespace pinnkit;
  pinnkit::testing::SmallPinn pinn;
  pinn.sampling.interior = interior;
  const ExecSpace exec;
  solvers::Objective serial(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 5);
  solvers::Objective split(pinn.problem, *pinn.model, pinn.store, pinn.sampling, pinn.loss, 5);
  std::atomic<bool> signal{false}, agreed{false};
  split.distribute(comm, &signal, &agreed);
  if (resample) {
    serial.resample();
    split.resample();
  }
  const auto a = serial.value_and_grad(exec);
  const auto ga = host(pinn.store.grads());
  const auto b = split.value_and_grad(exec);
  const auto gb = host(pinn.store.grads());
  const double tol = pinnkit::testing::tol(1e-12);
  check(rel_diff(b.total, a.total) < tol, "total loss", comm.rank());
  for (const auto& [name, v] : a.terms) check(rel_diff(b.terms.at(name), v) < tol, "loss term", comm.rank());
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < ga.size(); ++i) {
    worst = std::max(worst, std::abs(ga[i] - gb[i]));
    scale = std::max(scale, std::abs(ga[i]));
  }
  check(worst <= tol * scale, "gradient", comm.rank());
  check(split.point_counts() == serial.point_counts(), "global point counts", comm.rank());
  // A signal on rank 1 only: after the next evaluation every rank has agreed to stop.
  if (comm.rank() == 1) signal = true;
  split.value(exec);
  check(agreed.load(), "every rank agrees to stop", comm.rank());
  if (comm.rank() == 0)
    std::printf("interior %d%s: loss %.17g vs %.17g, gradient max diff %.3g of %.3g\n", interior,
                resample ? " (resampled)" : "", b.total, a.total, worst, scale);
}

}  // namespace

int main(int argc, char** argv) {
  int code = 0;
  {
    pinnkit::app::MpiSession mpi;
    Kokkos::ScopeGuard kokkos(argc, argv);
    const pinnkit::Communicator* comm = mpi.communicator();
    if (!comm || comm->size() < 2) {
      std::fprintf(stderr, "run me under mpirun -np 2 (or more)\n");
      return 1;
    }
    compare(*comm, 16, false);
    compare(*comm, 37, true);  // a count that does not split evenly
    std::vector<double> total{static_cast<double>(failures)};
    comm->sum(total);
    code = total[0] == 0 ? 0 : 1;
    if (comm->rank() == 0) std::printf("%s\n", code == 0 ? "PASS" : "FAIL");
  }
  return code;
}
