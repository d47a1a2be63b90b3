#pragma once
/// \brief What a network is made of: the typed form of the `model:` section.
#include <array>
#include <string>
#include <vector>

namespace pinnkit::models {

/// Random Fourier features as a first layer: x -> [sin(2 pi B x), cos(2 pi B x)],
/// B ~ N(0, scale^2), `count` frequencies (0 = off).
struct FourierSpec {
  int count = 0;
  double scale = 1.0;
};

/// A hard constraint on one output, applied as an output transform:
/// u = value + distance * N with N the network's output. Both are
/// expressions over the problem's inputs and parameters; `distance` should
/// vanish where `value` is prescribed (compiled in solvers/output_constraint).
struct HardConstraintSpec {
  std::string output;         ///< output name; empty = the output at the entry's list position
  std::string value = "0";    ///< g(x)
  std::string distance;       ///< d(x), required
};

struct ModelSpec {
  std::string type = "mlp";  ///< an entry of model_registry() (registries.hpp)
  // mlp
  std::vector<int> hidden{64, 64, 64, 64};
  std::string activation = "tanh";  ///< an entry of activation_registry()
  std::string init = "xavier";      ///< an entry of initializer_registry()
  // kan: hidden widths between the input and output sizes of the problem
  std::vector<int> kan_hidden{32, 32};
  int grid = 10;                            ///< G grid intervals
  int degree = 3;                           ///< spline degree k, 1..5
  std::array<double, 2> grid_range{-1, 1};  ///< on normalised inputs
  bool base = true;                         ///< SiLU base branch
  // slim_kan (also the kan keys above): Tucker ranks [r1, r2, r3] of every
  // layer's coefficient tensor, capped per layer at (n_out, n_in, K)
  std::vector<int> ranks{4, 4, 4};
  // both
  bool normalize_inputs = true;  ///< map the domain box to [-1, 1]
  FourierSpec fourier;
  std::vector<HardConstraintSpec> hard_constraints;  ///< empty = none (soft conditions only)
};

}  // namespace pinnkit::models
