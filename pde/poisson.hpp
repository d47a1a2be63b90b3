#pragma once
/// \brief Poisson with a manufactured solution on [-1,1]^d:
/// -Lap u = d (a pi)^2 prod_i sin(a pi x_i), u = prod_i sin(a pi x_i) on the
/// boundary (0 for integer a), exact u = prod_i sin(a pi x_i). The parameter
/// a sets the frequency (transfer).
#include "pde/box.hpp"
#include "pde/problem.hpp"

namespace pinnkit::pde {

class Poisson : public Problem {
 public:
  Poisson(int dim, double a);
  const Geometry& domain() const override { return box_; }
  std::vector<std::string> output_names() const override { return {"u"}; }
  const std::vector<LossTerm>& terms() const override { return terms_; }
  bool has_exact() const override { return true; }
  void exact(const ExecSpace& exec, View2<const Real> points, View2<Real> u) const override;

 private:
  Box box_;
  double a_;
  std::vector<LossTerm> terms_;
};

}  // namespace pinnkit::pde
