#pragma once
/// \brief Data parallelism across processes: the ranks of a run and one
/// sum over them. The Objective splits its collocation points across the
/// ranks and sums loss terms and gradient with one call per evaluation
/// (docs/hpc.md); app/mpi_session.cpp implements it with MPI when pinnkit
/// is built with PINNKIT_MPI and launched by mpirun. Kernels never see it.
#include <vector>

namespace pinnkit {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Sums `values` element-wise over all ranks, in place, on every rank.
  virtual void sum(std::vector<double>& values) const = 0;
};

}  // namespace pinnkit
