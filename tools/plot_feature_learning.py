#!/usr/bin/python3
"""Plot the width sweep of benchmarks/feature_learning.cpp and print its slopes.

usage: /usr/bin/python3 tools/plot_feature_learning.py SWEEP.csv OUT.png [--markdown OUT.md]
(needs matplotlib)

Rows of the figure: muP readout with aligned subspaces and balanced
factors; the same with fan-in factors; random subspaces (balanced factors)
and the standard readout (aligned, balanced). Columns: the RMS feature
update of B (delta_B), of A (delta_A) and the total, against the width, on
log-log axes. Prints (and with --markdown writes) one Markdown table per
setting: the least-squares slope of log RMS against log width for delta_B,
delta_A and the total, and the total's RMS at the smallest and largest width.
"""
import argparse
import csv
import math
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from report_cli import report

LABELS = {
    "full_gd": "full fine-tuning GD (reference)",
    "odelora_euler": "ODELoRA Euler",
    "odelora_rk4": "ODELoRA RK4",
    "scaled_gd": "ScaledGD",
    "lora_sgd": "LoRA SGD",
    "lora_adam": "LoRA Adam",
    "lora_plus": "LoRA+ (Adam, lr_B = 16 lr_A)",
}
STYLE = {
    "full_gd": dict(color="k", ls=":", marker="."),
    "odelora_euler": dict(color="C0", ls="-", marker="o"),
    "odelora_rk4": dict(color="C9", ls="--", marker="x"),
    "scaled_gd": dict(color="C2", ls="-", marker="s", ms=3),
    "lora_sgd": dict(color="C3", ls="-", marker="v"),
    "lora_adam": dict(color="C1", ls="-", marker="^"),
    "lora_plus": dict(color="C4", ls="--", marker="d"),
}
SETTINGS = [
    ("mup", "aligned", "balanced", "muP readout, aligned subspaces, balanced factors"),
    ("mup", "aligned", "fanin", "muP readout, aligned subspaces, fan-in factors"),
    ("mup", "random", "balanced", "muP readout, random subspaces, balanced factors"),
    ("mup", "random", "fanin", "muP readout, random subspaces, fan-in factors"),
    ("standard", "aligned", "balanced", "standard readout, aligned subspaces, balanced factors"),
    ("standard", "aligned", "fanin", "standard readout, aligned subspaces, fan-in factors"),
    ("standard", "random", "balanced", "standard readout, random subspaces, balanced factors"),
    ("standard", "random", "fanin", "standard readout, random subspaces, fan-in factors"),
]
QUANTITIES = [("delta_b", "delta_B = s dB A0 H"), ("delta_a", "delta_A = s B0 dA H"), ("total", "total")]


def slope(xs, ys):
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if y > 0 and math.isfinite(y)]
    if len(pts) < 2:
        return float("nan")
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def load(path):
    runs = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            key = (row["readout"], row["subspaces"], row["factors"], row["method"])
            runs[key].append({k: (float(v) if k not in ("readout", "subspaces", "factors", "method") else v)
                              for k, v in row.items()})
    for rows in runs.values():
        rows.sort(key=lambda r: r["width"])
    return runs


def series(runs, readout, subspaces, factors, method):
    if method == "full_gd":
        return runs.get((readout, "-", "-", method), [])
    return runs.get((readout, subspaces, factors, method), [])


def markdown(runs):
    lines = []
    widths = sorted({int(r["width"]) for rows in runs.values() for r in rows})
    for readout, subspaces, factors, title in SETTINGS:
        if not series(runs, readout, subspaces, factors, "odelora_euler"):
            continue
        lines.append(f"#### {title}\n")
        lines.append(f"| method | lr | slope delta_B | slope delta_A | slope total | total RMS at n = {widths[0]} | "
                     f"total RMS at n = {widths[-1]} |")
        lines.append("|---|---|---|---|---|---|---|")
        for method, label in LABELS.items():
            rows = series(runs, readout, subspaces, factors, method)
            if not rows:
                continue
            w = [r["width"] for r in rows]
            cells = []
            for q, _ in QUANTITIES:
                s = slope(w, [r[q] for r in rows])
                cells.append("-" if math.isnan(s) else f"{s:+.2f}")
            lines.append(f"| {label} | {rows[0]['lr']:g} | {' | '.join(cells)} | {rows[0]['total']:.2e} | "
                         f"{rows[-1]['total']:.2e} |")
        lines.append("")
    return "\n".join(lines)


def plot(runs, path):
    panels = [
        ("mup", "aligned", "balanced", None, "muP, aligned, balanced"),
        ("mup", "aligned", "fanin", None, "muP, aligned, fan-in factors"),
        ("mup", "random", "balanced", None, "muP, random subspaces, balanced"),
        ("standard", "aligned", "balanced", None, "standard readout, aligned, balanced"),
    ]
    fig, axes = plt.subplots(len(panels), 3, figsize=(14, 3.6 * len(panels)), squeeze=False)
    for row, (readout, subspaces, factors, _, title) in enumerate(panels):
        for col, (q, qlabel) in enumerate(QUANTITIES):
            ax = axes[row][col]
            for method, label in LABELS.items():
                rows = series(runs, readout, subspaces, factors, method)
                if not rows or (method == "full_gd" and q != "total"):
                    continue
                w = [r["width"] for r in rows]
                y = [r[q] for r in rows]
                if not any(v > 0 for v in y):
                    continue
                ax.loglog(w, y, label=f"{label} ({slope(w, y):+.2f})", lw=1.2, **STYLE[method])
            ax.set_title(f"{title}: {qlabel}", fontsize=9)
            ax.set_xlabel("width n")
            ax.set_ylabel("RMS per coordinate")
            ax.set_xscale("log", base=2)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=6)
    fig.suptitle("Feature update after one step at a fixed step size (legend: log-log slope)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv")
    parser.add_argument("png")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    return report("plot_feature_learning.py", args.csv, "rows", load(args.csv), markdown, plot, args.markdown,
                  args.png)


if __name__ == "__main__":
    sys.exit(main())
