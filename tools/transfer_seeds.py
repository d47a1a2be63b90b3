#!/usr/bin/python3
"""Seed-aggregated table and loss curves of experiments/transfer/run_odelora.sh.

Reads every <problem>_<arm>_s<seed>.h5 in a results folder and prints, per
problem and arm: steps, gradient evaluations (the run's /metrics
`evaluations`: steps x stages, 4 for ODELoRA RK4), relative L2 error and
final loss (mean, sample std, min and max over seeds), loss spikes (history
rows where the loss rose more than 10x over the previous row, summed over
seeds; run_odelora.sh writes a row every step, so these are steps), the
rises of more than 2x (the same way) and the largest ratio between
consecutive rows, the mean training wall time, and the
number of runs that did not complete. The step size in an arm's label is
the run's first `lr` history value.

Usage: /usr/bin/python3 tools/transfer_seeds.py results/transfer_odelora \
           [--markdown OUT.md] [--plot OUT.png]
Needs h5py and matplotlib (Debian: python3-h5py, python3-matplotlib).
"""
import glob
import os
import re
import sys
from collections import defaultdict

import numpy as np

from report_cli import table_main
from result_file import read_result

ARMS = [  # key, label ({lr}: the run's step size), gradient evaluations per step
    ("lora", "LoRA r=4 (Adam {lr})", 1),
    ("loraplus", "LoRA+ r=4 (Adam {lr}, lr_B = 16 lr_A)", 1),
    ("scaledgd", "ScaledGD r=4 (lr {lr})", 1),
    ("odeE", "ODELoRA Euler r=4 (h {lr})", 1),
    ("odeRK4", "ODELoRA RK4 r=4 (h {lr}), same steps", 4),
    ("odeRK4g", "ODELoRA RK4 r=4 (h {lr}), same gradients", 4),
]


def label(text, seeds):
    lrs = [r["history"]["lr"][0] for r in seeds.values() if len(r["history"].get("lr", [])) > 0]
    return text.format(lr=f"{lrs[0]:g}" if lrs else "?")


def spread(values):
    v = np.asarray(values, dtype=float)
    std = float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
    return f"{np.mean(v):.3e} +- {std:.1e} [{np.min(v):.3e}, {np.max(v):.3e}]"


read_run = read_result


def collect(folder):
    runs = defaultdict(lambda: defaultdict(dict))
    for path in sorted(glob.glob(os.path.join(folder, "*_s*.h5"))):
        m = re.match(r"(.+?)_(\w+?)_s(\d+)\.h5$", os.path.basename(path))
        if not m:
            continue
        problem, arm, seed = m.group(1), m.group(2), int(m.group(3))
        runs[problem][arm][seed] = read_run(path)
    return runs


def spikes(loss):
    """(rises > 10x, rises > 2x, largest ratio) between consecutive history rows."""
    loss = np.asarray(loss, dtype=float)
    if len(loss) < 2:
        return 0, 0, 1.0
    ratio = loss[1:] / np.maximum(loss[:-1], 1e-300)
    return int(np.sum(ratio > 10.0)), int(np.sum(ratio > 2.0)), float(np.max(ratio))


def markdown(runs):
    lines = []
    for problem in sorted(runs):
        lines.append(f"### {problem}\n")
        lines.append("| arm | seeds | steps | gradient evals | rel. L2: mean +- std [min, max] | "
                     "final loss: mean +- std [min, max] | loss spikes > 10x | rises > 2x | max row ratio | "
                     "train time (s, mean) | not completed |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for arm, text, stages in ARMS:
            seeds = runs[problem].get(arm)
            if not seeds:
                continue
            errs = [r["metrics"].get("rel_l2", float("nan")) for r in seeds.values()]
            losses = [r["metrics"].get("final_loss", float("nan")) for r in seeds.values()]
            steps = max(int(r["history"]["step"][-1]) for r in seeds.values())
            evals = max(int(r["metrics"].get("evaluations", steps * stages)) for r in seeds.values())
            times = [r["metrics"].get("train_time_s", float("nan")) for r in seeds.values()]
            sp = [spikes(r["history"]["loss"]) for r in seeds.values()]
            bad = sum(1 for r in seeds.values() if r["status"] != "completed")
            lines.append(
                f"| {label(text, seeds)} | {len(seeds)} | {steps} | {evals} | {spread(errs)} | {spread(losses)} | "
                f"{sum(s[0] for s in sp)} | {sum(s[1] for s in sp)} | {max(s[2] for s in sp):.2f} | {np.mean(times):.1f} | {bad} |")
        lines.append("")
    return "\n".join(lines)


def plot(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    problems = sorted(runs)
    fig, axes = plt.subplots(1, len(problems), figsize=(7 * len(problems), 4.5), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, problem in zip(axes[0], problems):
        for i, (arm, text, stages) in enumerate(ARMS):
            for j, (seed, r) in enumerate(sorted(runs[problem].get(arm, {}).items())):
                h = r["history"]
                ax.semilogy(np.asarray(h["step"]) * stages, h["loss"], color=colors[i % len(colors)], lw=1,
                            alpha=0.8, label=label(text, runs[problem][arm]) if j == 0 else None)
        ax.set_title(f"{problem}: fine-tuning loss, every seed")
        ax.set_xlabel("gradient evaluations")
        ax.set_ylabel("training loss")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    return table_main("transfer_seeds.py", __doc__, collect, markdown, plot)


if __name__ == "__main__":
    sys.exit(main())
