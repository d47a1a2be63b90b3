#include "pde/problem_with_reference.hpp"

#include "core/error.hpp"

namespace pinnkit::pde {

ProblemWithReference::ProblemWithReference(std::unique_ptr<Problem> inner, ReferenceData reference)
    : inner_(std::move(inner)), reference_(std::move(reference)) {
  PINNKIT_CHECK(inner_ != nullptr, "no inner problem");
  PINNKIT_CHECK(reference_.inputs == inner_->input_dim() && reference_.outputs == inner_->output_dim(),
                "reference data " + reference_.source + " has " + std::to_string(reference_.inputs) + " inputs and " +
                    std::to_string(reference_.outputs) + " outputs, the problem " +
                    std::to_string(inner_->input_dim()) + " and " + std::to_string(inner_->output_dim()));
  PINNKIT_CHECK(reference_.values.size() == static_cast<std::size_t>(reference_.size()) * reference_.outputs,
                "reference data " + reference_.source + ": values do not match the points");
}

}  // namespace pinnkit::pde
