// Stable feature learning (docs/methods.md 4): one step of ODELoRA (Euler,
// RK4), ScaledGD, LoRA with SGD, LoRA with Adam and LoRA+ on a LoRA-adapted
// n x n layer inside a small network, for widths n = 64 ... 4096, and the
// per-coordinate (RMS) size of the feature updates of B and A; then the
// log-log slopes against n. The network, the inits and the measured
// quantities are defined in benchmarks/feature_sweep.hpp.
//
// Usage: feature_learning [--out FILE.csv] [--max-width N] [--seed S]
//                         [--lr-gd H] [--lr-adam H]
// Writes CSV rows readout,subspaces,factors,method,lr,width,evaluations,
// feature_rms,delta_b,delta_a,delta_ba,total,first_order,loss_before,loss_after and
// prints the slopes. tools/plot_feature_learning.py plots the CSV and prints
// the slope table in Markdown.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "benchmarks/feature_sweep.hpp"
#include "core/runtime.hpp"

int main(int argc, char** argv) {
  using namespace pinnkit::bench;
  std::string out = "feature_learning.csv";
  int max_width = 4096;
  std::uint64_t seed = 1;
  double lr_gd = 0.1, lr_adam = 1e-3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc)
      out = argv[++i];
    else if (arg == "--max-width" && i + 1 < argc)
      max_width = std::atoi(argv[++i]);
    else if (arg == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--lr-gd" && i + 1 < argc)
      lr_gd = std::atof(argv[++i]);
    else if (arg == "--lr-adam" && i + 1 < argc)
      lr_adam = std::atof(argv[++i]);
    else {
      std::cerr << "usage: feature_learning [--out FILE.csv] [--max-width N] [--seed S] [--lr-gd H] [--lr-adam H]\n";
      return 2;
    }
  }
  if (max_width < 64 || lr_gd <= 0 || lr_adam <= 0) {
    std::cerr << "feature_learning: --max-width must be >= 64 and the step sizes > 0\n";
    return 2;
  }
  pinnkit::Runtime runtime;
  FeatureSetup setup;
  setup.seed = seed;
  std::ofstream csv(out);
  csv << "readout,subspaces,factors,method,lr,width,evaluations,feature_rms,delta_b,delta_a,delta_ba,total,"
         "first_order,loss_before,loss_after\n";
  csv.precision(10);
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, std::vector<FeatureUpdate>> results;
  std::vector<double> widths;
  for (int n = 64; n <= max_width; n *= 2) {
    widths.push_back(n);
    FeatureProblem problem(n, setup);
    for (Readout readout : {Readout::mup, Readout::standard})
      for (Subspaces subspaces : {Subspaces::aligned, Subspaces::random})
        for (Factors factors : {Factors::balanced, Factors::fanin})
          for (const auto& method : feature_methods()) {
            const bool reference = method == "full_gd";
            // The reference has no factors: once per readout.
            if (reference && (subspaces != Subspaces::aligned || factors != Factors::balanced)) continue;
            FeatureCase c{readout, subspaces, factors, method,
                          method == "lora_adam" || method == "lora_plus" ? lr_adam : lr_gd};
            const FeatureUpdate u = problem.one_step(c);
            const Key key{name(readout), reference ? "-" : name(subspaces), reference ? "-" : name(factors), method};
            results[key].push_back(u);
            csv << std::get<0>(key) << ',' << std::get<1>(key) << ',' << std::get<2>(key) << ',' << method << ','
                << c.lr << ',' << n << ',' << u.evaluations << ',' << u.feature_rms << ',' << u.delta_b << ','
                << u.delta_a << ',' << u.delta_ba << ',' << u.total << ',' << u.first_order << ',' << u.loss_before << ',' << u.loss_after
                << '\n';
          }
    std::fprintf(stderr, "width %d done\n", n);
  }
  std::printf("log-log slopes of the RMS feature updates against the width (%g ... %d); lr %g (Adam: %g)\n",
              widths.front(), max_width, lr_gd, lr_adam);
  std::printf("%-9s %-8s %-9s %-14s %8s %8s %8s\n", "readout", "subspace", "factors", "method", "delta_B", "delta_A",
              "total");
  for (const auto& [key, rows] : results) {
    std::vector<double> b, a, t;
    for (const auto& u : rows) b.push_back(u.delta_b), a.push_back(u.delta_a), t.push_back(u.total);
    std::printf("%-9s %-8s %-9s %-14s %8.3f %8.3f %8.3f\n", std::get<0>(key).c_str(), std::get<1>(key).c_str(),
                std::get<2>(key).c_str(), std::get<3>(key).c_str(), loglog_slope(widths, b), loglog_slope(widths, a),
                loglog_slope(widths, t));
  }
  std::printf("wrote %s\n", out.c_str());
  return 0;
}
