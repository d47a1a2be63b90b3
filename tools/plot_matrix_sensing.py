#!/usr/bin/python3
"""Plot the matrix sensing runs of benchmarks/matrix_sensing.cpp.

usage: /usr/bin/python3 tools/plot_matrix_sensing.py RUNS.csv OUT.png  (needs matplotlib)

One panel per condition number: log10 relative error ||BA - W*|| / ||W*||
against the step (top row) and against gradient evaluations (bottom row),
for ODELoRA Euler / RK4, factored gradient descent (plain LoRA) and ScaledGD.
Also prints the fitted log10 slope per step over the part of every curve
above 1e-12 (the linear-convergence rate).
"""
import csv
import math
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "odelora_euler": "ODELoRA Euler",
    "odelora_rk4": "ODELoRA RK4",
    "factored_gd": "factored GD (plain LoRA)",
    "scaled_gd": "ScaledGD",
}


def slope(points):
    pts = [(s, math.log10(e)) for s, e in points if e > 1e-12]
    if len(pts) < 3:
        return float("nan")
    n = len(pts)
    mx = sum(p[0] for p in pts) / n
    my = sum(p[1] for p in pts) / n
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx > 0 else float("nan")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    runs = defaultdict(list)
    h_of = {}
    with open(sys.argv[1]) as f:
        for row in csv.DictReader(f):
            key = (float(row["kappa"]), row["method"])
            runs[key].append((int(row["step"]), int(row["evaluations"]), float(row["rel_error"])))
            h_of[key] = float(row["h"])
    kappas = sorted({k for k, _ in runs})
    fig, axes = plt.subplots(2, len(kappas), figsize=(4.5 * len(kappas), 7), squeeze=False, sharey=True)
    print("kappa method h final_rel_error log10_slope_per_step")
    for col, kappa in enumerate(kappas):
        for (k, method), rows in sorted(runs.items()):
            if k != kappa:
                continue
            steps = [r[0] for r in rows]
            evals = [r[1] - rows[0][1] for r in rows]
            errs = [max(r[2], 1e-17) for r in rows]
            label = f"{LABELS.get(method, method)} (h={h_of[(k, method)]:g})"
            axes[0][col].semilogy(steps, errs, label=label)
            axes[1][col].semilogy(evals, errs, label=label)
            print(f"{kappa:g} {method} {h_of[(k, method)]:g} {rows[-1][2]:.3e} "
                  f"{slope([(r[0], r[2]) for r in rows]):.4f}")
        axes[0][col].set_title(f"condition number {kappa:g}")
        axes[0][col].set_xlabel("step")
        axes[1][col].set_xlabel("gradient evaluations")
    for row in axes:
        row[0].set_ylabel("||BA - W*|| / ||W*||")
        for ax in row:
            ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle("Matrix sensing, m = n = 40, r = 3, p = 6r(m+n), spectral init")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
