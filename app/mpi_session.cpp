#include "app/mpi_session.hpp"

#include <cstdlib>
#include <string>

#include "core/error.hpp"

#ifdef PINNKIT_HAVE_MPI
#include <mpi.h>
#endif

namespace pinnkit::app {

int launched_ranks() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* v = std::getenv(var)) return std::max(1, std::atoi(v));
  return 1;
}

#ifdef PINNKIT_HAVE_MPI
namespace {
class MpiCommunicator : public Communicator {
 public:
  MpiCommunicator() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::vector<double>& values) const override {
    // Host buffers: the gradient is staged through the host once per
    // evaluation (a CUDA-aware MPI could take device pointers instead).
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }

 private:
  int rank_ = 0, size_ = 1;
};
}  // namespace
#endif

MpiSession::MpiSession() {
  const int ranks = launched_ranks();
  if (ranks <= 1) return;
#ifdef PINNKIT_HAVE_MPI
  int provided = 0;
  // Only the main thread calls MPI (Kokkos' OpenMP threads never do).
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialised_ = true;
  comm_ = std::make_unique<MpiCommunicator>();
#else
  throw InputError(input_message("command line", "mpirun",
                                 "a pinnkit built with MPI (cmake -DPINNKIT_MPI=ON, OpenMPI installed) for " +
                                     std::to_string(ranks) + " ranks, got a build without it"));
#endif
}

MpiSession::~MpiSession() {
#ifdef PINNKIT_HAVE_MPI
  comm_.reset();
  if (initialised_) MPI_Finalize();
#endif
}

}  // namespace pinnkit::app
