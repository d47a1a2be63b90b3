// The data-backed catalog families: each carries the reference its
// description promises, and that reference agrees with the problem's own
// conditions (a wrong file, column order or boundary value would not).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "pde/catalog.hpp"
#include "pde/problem.hpp"
#include "solvers/unit_sampler.hpp"

namespace pinnkit::pde {

namespace {

std::unique_ptr<Problem> build(const std::string& name, std::map<std::string, double> params = {}) {
  const ProblemInfo* info = find_problem(name);
  EXPECT_NE(info, nullptr) << name;
  ProblemSpec spec;
  spec.pde = name;
  spec.params = info->default_params;
  for (const auto& [k, v] : params) spec.params[k] = v;
  return make_problem(spec, "test.yaml");
}

}  // namespace

TEST(CatalogData, EveryDataFamilyIsListedWithReferenceData) {
  for (const auto& info : data_problems()) {
    ASSERT_NE(find_problem(info.name), nullptr) << info.name;
    EXPECT_NE(info.description.find("PINNacle"), std::string::npos) << info.name;
    const auto problem = build(info.name);
    ASSERT_TRUE(problem->has_reference_data()) << info.name;
    const auto& ref = *problem->reference_data();
    EXPECT_EQ(ref.inputs, problem->input_dim()) << info.name;
    EXPECT_EQ(ref.outputs, problem->output_dim()) << info.name;
    EXPECT_GT(ref.size(), 100) << info.name;
    // Every reference point lies in the domain's bounding box.
    const auto& g = problem->domain();
    for (int i = 0; i < ref.size(); ++i)
      for (int a = 0; a < ref.inputs; ++a) {
        const double x = ref.points[i * ref.inputs + a];
        ASSERT_GE(x, g.lower()[a] - 1e-12) << info.name;
        ASSERT_LE(x, g.upper()[a] + 1e-12) << info.name;
      }
  }
}

TEST(CatalogData, PoissonReferenceIsOneOnTheSquareAndZeroOnTheCircles) {
  const auto problem = build("poisson2d_cg");
  const auto& ref = *problem->reference_data();
  int on_square = 0, on_circle = 0, inside = 0;
  for (int i = 0; i < ref.size(); ++i) {
    const double x = ref.points[2 * i], y = ref.points[2 * i + 1], u = ref.values[i];
    const double rim = std::hypot(std::abs(x) - 0.3, std::abs(y) - 0.3) - 0.1;
    if (std::max(std::abs(x), std::abs(y)) > 0.5 - 1e-12) {
      EXPECT_NEAR(u, 1.0, 1e-9) << x << " " << y;
      ++on_square;
    } else if (std::abs(rim) < 1e-6) {
      EXPECT_NEAR(u, 0.0, 1e-6) << x << " " << y;
      ++on_circle;
    }
    std::vector<double> p{x, y};
    inside += problem->domain().contains(p) || std::abs(rim) < 1e-3;
  }
  EXPECT_GT(on_square, 20);
  EXPECT_GT(on_circle, 20);
  EXPECT_EQ(inside, ref.size());
  EXPECT_EQ(problem->domain().part_names().size(), 8u);
}

// Each boundary term of poisson2d_cg applies where its value holds: fed the
// reference's boundary value (1 on the square, 0 on the circles) at its own
// points, its residual vanishes.
TEST(CatalogData, PoissonBoundaryTermsSitOnTheirOwnCurves) {
  const auto problem = build("poisson2d_cg");
  const auto& g = problem->domain();
  EXPECT_EQ(g.lower(), (std::vector<double>{-0.5, -0.5}));
  EXPECT_EQ(g.upper(), (std::vector<double>{0.5, 0.5}));
  solvers::UnitSampler sampler("sobol", 2, 1);
  const auto b = g.sample_boundary(400, UnitSource{[&](int m) { return sampler.next(m); }, false});
  int checked = 0;
  for (const auto& term : problem->terms()) {
    if (term.where != PointSet::boundary) continue;
    std::vector<double> pts, expected;
    for (std::size_t i = 0; i < b.part.size(); ++i) {
      if (std::find(term.parts.begin(), term.parts.end(), b.part[i]) == term.parts.end()) continue;
      const double x = b.points[2 * i], y = b.points[2 * i + 1];
      const bool edge = std::max(std::abs(x), std::abs(y)) > 0.5 - 1e-12;
      EXPECT_TRUE(edge || std::abs(std::hypot(std::abs(x) - 0.3, std::abs(y) - 0.3) - 0.1) < 1e-9) << x << " " << y;
      pts.insert(pts.end(), {x, y});
      expected.push_back(edge ? 1.0 : 0.0);
    }
    const int n = static_cast<int>(expected.size());
    ASSERT_GT(n, 0);
    const auto& reads = term.residual->reads();
    ASSERT_EQ(reads.size(), 1u);
    View2<Real> p("pts", n, 2), v("values", n, 1), dr("dr", n, 1);
    View1<Real> r("r", n);
    auto hp = Kokkos::create_mirror_view(p);
    auto hv = Kokkos::create_mirror_view(v);
    for (int i = 0; i < n; ++i) {
      hp(i, 0) = pts[2 * i];
      hp(i, 1) = pts[2 * i + 1];
      hv(i, 0) = expected[i];
    }
    Kokkos::deep_copy(p, hp);
    Kokkos::deep_copy(v, hv);
    term.residual->evaluate(ExecSpace(), p, v, r, dr);
    auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(hr(i), 0.0, 1e-12) << pts[2 * i] << " " << pts[2 * i + 1];
    checked += n;
  }
  EXPECT_EQ(checked, static_cast<int>(b.part.size()));
}

TEST(CatalogData, BurgersReferenceStartsFromTheInitialValue) {
  for (double nu : {0.01 / M_PI, 0.05}) {
    const auto problem = build("burgers1d", {{"nu", nu}});
    const auto& ref = *problem->reference_data();
    ASSERT_EQ(ref.size(), 1111);
    int initial = 0;
    for (int i = 0; i < ref.size(); ++i) {
      const double x = ref.points[2 * i], t = ref.points[2 * i + 1];
      if (t == 0) {
        EXPECT_NEAR(ref.values[i], -std::sin(M_PI * x), 1e-5);
        ++initial;
      }
      if (std::abs(x) == 1.0) {
        EXPECT_NEAR(ref.values[i], 0.0, 1e-9);
      }
    }
    EXPECT_EQ(initial, 101);
  }
}

TEST(CatalogData, BurgersUsesTheTableOnlyForPinnaclesViscosity) {
  const auto table = build("burgers1d");
  const auto generated = build("burgers1d", {{"nu", 0.05}});
  EXPECT_NE(table->reference_data()->source.find("burgers1d.dat"), std::string::npos);
  EXPECT_NE(generated->reference_data()->source.find("Cole-Hopf"), std::string::npos);
  // A larger viscosity smooths the shock: the solutions differ at x = 0.5, t = 1.
  const auto& a = table->reference_data()->values;
  const auto& b = generated->reference_data()->values;
  EXPECT_GT(std::abs(a[1010 + 75] - b[1010 + 75]), 1e-2);
}

TEST(CatalogData, LidDrivenCavityHasThreeOutputsAndTheLidProfile) {
  const auto problem = build("ns2d_lid");
  EXPECT_EQ(problem->output_names(), (std::vector<std::string>{"u", "v", "p"}));
  EXPECT_EQ(problem->terms().size(), 3u + 4u);
  const auto& ref = *problem->reference_data();
  int lid = 0;
  for (int i = 0; i < ref.size(); ++i) {
    const double x = ref.points[2 * i], y = ref.points[2 * i + 1];
    if (y == 1.0) {
      // COMSOL meets the wall values to its discretisation error only.
      EXPECT_NEAR(ref.values[3 * i], 4 * x * (1 - x), 1e-3) << x;
      EXPECT_NEAR(ref.values[3 * i + 1], 0.0, 1e-3) << x;
      ++lid;
    }
  }
  EXPECT_GT(lid, 50);
  EXPECT_FALSE(build("ns2d_lid", {{"a", 1.0}})->has_reference_data());
}

TEST(CatalogData, BadViscosityIsAnInputError) {
  try {
    build("burgers1d", {{"nu", -1.0}});
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml: problem.params.nu"), std::string::npos) << e.what();
  }
  EXPECT_THROW(build("ns2d_lid", {{"nu", 0.0}}), InputError);
}

TEST(CatalogData, AMissingDataFileIsAnInputErrorNamingIt) {
  const auto empty = std::filesystem::temp_directory_path() / "pinnkit_no_data_here";
  std::filesystem::create_directories(empty);
  const char* old = std::getenv("PINNKIT_DATA_DIR");
  const std::string saved = old ? old : "";
  ::setenv("PINNKIT_DATA_DIR", empty.c_str(), 1);
  try {
    build("poisson2d_cg");
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("poisson1_cg_data.dat"), std::string::npos) << e.what();
  }
  if (old)
    ::setenv("PINNKIT_DATA_DIR", saved.c_str(), 1);
  else
    ::unsetenv("PINNKIT_DATA_DIR");
  std::filesystem::remove_all(empty);
}

}  // namespace pinnkit::pde
