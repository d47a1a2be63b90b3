#include "pde/expr_program.hpp"

#include "core/error.hpp"

namespace pinnkit::pde {

ExprDeviceProgram::ExprDeviceProgram(const ExprProgram& program)
    : size(static_cast<int>(program.code.size())) {
  PINNKIT_CHECK(size > 0 && program.stack_depth <= expr_max_stack, "expr: program not compiled");
  Kokkos::View<ExprInstr*, MemSpace> code_view(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pinnkit::pde::ExprProgram::code"), size);
  Kokkos::View<const ExprInstr*, HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> code_host(
      program.code.data(), program.code.size());
  Kokkos::deep_copy(code_view, code_host);
  code = code_view;
  // At least one entry, so that data() is valid in kernels of constant-free programs.
  View1<Real> constant_view(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pinnkit::pde::ExprProgram::constants"),
      std::max<std::size_t>(program.constants.size(), 1));
  auto constant_host = Kokkos::create_mirror_view(constant_view);
  for (std::size_t k = 0; k < program.constants.size(); ++k)
    constant_host(k) = program.constants[k];
  if (program.constants.empty()) constant_host(0) = 0;
  Kokkos::deep_copy(constant_view, constant_host);
  constants = constant_view;
}

Real evaluate_on_host(const ExprProgram& program, const std::vector<Real>& inputs,
                      const std::vector<Real>& reads) {
  PINNKIT_CHECK(reads.size() == program.reads.size(), "expr: one value per read expected");
  auto input = [&](int k) { return inputs.at(k); };
  auto read = [&](int k) { return reads[k]; };
  return expr_detail::run<Real>(program.code.data(), static_cast<int>(program.code.size()),
                                program.constants.data(), input, read);
}

}  // namespace pinnkit::pde
