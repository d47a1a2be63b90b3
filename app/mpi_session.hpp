#pragma once
/// \brief MPI for one `pinnkit run` launched by mpirun: initialised when the
/// environment says the process is one of several ranks, finalised at the
/// end; otherwise (a plain run, or a build without PINNKIT_MPI) nothing.
#include <memory>

#include "core/communicator.hpp"

namespace pinnkit::app {

class MpiSession {
 public:
  /// Throws InputError when launched as several ranks by a build without MPI
  /// (every rank would train the whole run and write the same file).
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  /// Null for a single process.
  const Communicator* communicator() const { return comm_.get(); }
  int rank() const { return comm_ ? comm_->rank() : 0; }

 private:
  std::unique_ptr<Communicator> comm_;
  bool initialised_ = false;
};

/// Ranks the launcher asked for (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_SIZE), 1 without one.
int launched_ranks();

}  // namespace pinnkit::app
