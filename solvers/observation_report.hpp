#pragma once
/// \brief The network against the observations (problem.observations) at the
/// end of a run: predictions at the observation points and the misfit, for
/// the result file's /observations group.
#include <string>
#include <vector>

#include "models/model.hpp"
#include "pde/problem.hpp"

namespace pinnkit::solvers {

struct ObservationReport {
  int count = 0, inputs = 0;
  std::vector<std::string> outputs;  ///< observed outputs, columns of values / u_pred
  std::vector<double> points;        ///< count x inputs
  std::vector<double> values;        ///< count x outputs: observed (noise included)
  std::vector<double> u_pred;        ///< count x outputs
  double rms_misfit = 0;             ///< sqrt(mean over points and outputs of (u_pred - value)^2)
};

/// Empty (count 0) when the problem has no observations.
ObservationReport report_observations(const ExecSpace& exec, models::Model& model, const pde::Problem& problem);

}  // namespace pinnkit::solvers
