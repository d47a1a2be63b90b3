#!/usr/bin/python3
"""Seed-aggregated table and per-layer rank plot of experiments/transfer/run_sublora.sh.

Reads every <problem>_<arm>_s<seed>.h5 in a results folder (arms: sublora,
adalora, first_order, magnitude, random: svd_lora with that selection rule;
lora: fixed-rank LoRA) and prints, per problem and arm: kept components at
the end, trainable parameters, relative L2 error (mean, min - max over
seeds), the PINN loss at the end (the total without the orthogonality term,
which only the svd_lora arms carry: mean and max), time per step (mean over
seeds, allocation included) and the share of it spent choosing components,
and the runs that did not complete. The plot shows, per problem, the kept
components per layer at the end (mean over seeds, each seed as a dot) for
every rule, and the per-layer ranks over the allocations of seed 1 for
SubLoRA and AdaLoRA.

Usage: /usr/bin/python3 tools/sublora_table.py results/transfer_sublora \
           [--markdown OUT.md] [--plot OUT.png]
Needs h5py and matplotlib (Debian: python3-h5py, python3-matplotlib).
"""
import glob
import os
import re
import sys
from collections import defaultdict

import h5py
import numpy as np

from report_cli import table_main
from result_file import read_result, text

ARMS = [
    ("sublora", "SubLoRA (second order, submodular greedy)"),
    ("adalora", "AdaLoRA score"),
    ("first_order", "first order abs(s g)"),
    ("magnitude", "magnitude abs(s)"),
    ("random", "random"),
    ("lora", "LoRA r=2 (fixed ranks)"),
]
RULES = [a for a, _ in ARMS if a != "lora"]


def read_run(path):
    run = read_result(path)
    with h5py.File(path, "r") as f:
        if "adapter" in f:
            a = f["adapter"]
            run["layers"] = text(a.attrs.get("allocation.layers", "")).split(",")
            if "allocation.ranks" in a:
                run["ranks"] = np.asarray(a["allocation.ranks"])
                run["alloc_steps"] = np.asarray(a["allocation.step"])
            if "allocation.loss_before" in a:
                run["jump"] = np.asarray(a["allocation.loss_after"]) - np.asarray(a["allocation.loss_before"])
                run["rel_jump"] = run["jump"] / np.maximum(np.asarray(a["allocation.loss_before"]), 1e-300)
                run["predicted"] = np.asarray(a["allocation.predicted_change"])
            masks = [np.asarray(a[f"{layer}.svd_mask"]) for layer in run["layers"] if f"{layer}.svd_mask" in a]
            if masks:
                run["final_ranks"] = np.array([m.sum() for m in masks])
    return run


def collect(folder):
    runs = defaultdict(lambda: defaultdict(dict))
    for path in sorted(glob.glob(os.path.join(folder, "*_s*.h5"))):
        m = re.match(r"(.+?)_(sublora|adalora|first_order|magnitude|random|lora)_s(\d+)\.h5$", os.path.basename(path))
        if m:
            runs[m.group(1)][m.group(2)][int(m.group(3))] = read_run(path)
    return runs


def pinn_loss(run):
    h = run["history"]
    orth = h["loss_orthogonality"][-1] if "loss_orthogonality" in h else 0.0
    return float(h["loss"][-1] - orth)


def kept(run):
    if "final_ranks" in run:
        return int(run["final_ranks"].sum())
    return int(run["metrics"].get("svd_components_kept", -1))


def markdown(runs):
    lines = []
    for problem in sorted(runs):
        lines.append(f"### {problem}\n")
        lines.append("| arm | seeds | kept components | trainable params | rel. L2 mean | rel. L2 min - max | "
                     "PINN loss mean (max) | ms / step | of it choosing | not completed |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        for arm, label in ARMS:
            seeds = runs[problem].get(arm)
            if not seeds:
                continue
            rs = list(seeds.values())
            errs = [r["metrics"].get("rel_l2", np.nan) for r in rs]
            losses = [pinn_loss(r) for r in rs]
            ms = [1e3 * r["metrics"]["train_time_s"] / max(r["metrics"]["steps"], 1) for r in rs]
            share = [r["metrics"].get("allocation_time_s", 0.0) / max(r["metrics"]["train_time_s"], 1e-12) for r in rs]
            kc = sorted({kept(r) for r in rs}) if arm != "lora" else ["7 (2+2+2+1)"]
            bad = sum(1 for r in rs if r["status"] != "completed")
            lines.append(
                f"| {label} | {len(rs)} | {', '.join(map(str, kc))} | {int(rs[0]['metrics']['params_trainable'])} | "
                f"{np.mean(errs):.3e} | {np.min(errs):.3e} - {np.max(errs):.3e} | "
                f"{np.mean(losses):.3e} ({np.max(losses):.3e}) | {np.mean(ms):.1f} | {100 * np.mean(share):.0f}% | {bad} |")
        lines.append("")
        # What pruning cost: the loss change at the allocations, measured (and predicted by SubLoRA's model).
        have = [(arm, label) for arm, label in ARMS if any("jump" in r for r in runs[problem].get(arm, {}).values())]
        if have:
            lines.append("| rule | loss change summed over the allocations, mean over seeds | largest single rise "
                         "(relative to the loss before it) | second-order prediction of the summed change |")
            lines.append("|---|---|---|---|")
            for arm, label in have:
                rs = [r for r in runs[problem][arm].values() if "jump" in r]
                pred = [np.nansum(r["predicted"]) for r in rs if np.any(np.isfinite(r["predicted"]))]
                lines.append(f"| {label} | {np.mean([r['jump'].sum() for r in rs]):.3e} | "
                             f"{max(r['rel_jump'].max() for r in rs):+.1%} | "
                             f"{(f'{np.mean(pred):.3e}' if pred else '-')} |")
            lines.append("")
        # Where the ranks went: final kept components per layer, every seed.
        layers = next((r["layers"] for arm in RULES for r in runs[problem].get(arm, {}).values() if "layers" in r), [])
        if layers:
            lines.append("| rule | " + " | ".join(f"{l} kept (per seed)" for l in layers) + " |")
            lines.append("|---|" + "---|" * len(layers))
            for arm, label in ARMS:
                if arm == "lora" or arm not in runs[problem]:
                    continue
                rs = [runs[problem][arm][s] for s in sorted(runs[problem][arm])]
                cells = [", ".join(str(int(r["final_ranks"][i])) for r in rs if "final_ranks" in r) for i in range(len(layers))]
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines)


def plot(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    problems = sorted(runs)
    fig, axes = plt.subplots(len(problems), 2, figsize=(13, 4.2 * len(problems)), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for row, problem in zip(axes, problems):
        ax = row[0]
        layers = next((r["layers"] for arm in RULES for r in runs[problem].get(arm, {}).values() if "layers" in r), [])
        width = 0.8 / len(RULES)
        for i, arm in enumerate(RULES):
            rs = [r for r in runs[problem].get(arm, {}).values() if "final_ranks" in r]
            if not rs:
                continue
            ranks = np.array([r["final_ranks"] for r in rs])
            x = np.arange(len(layers)) + (i - len(RULES) / 2 + 0.5) * width
            ax.bar(x, ranks.mean(axis=0), width, color=colors[i], label=dict(ARMS)[arm])
            for seed_ranks in ranks:
                ax.plot(x, seed_ranks, "k.", ms=3)
        ax.plot(np.arange(len(layers)), [2, 2, 2, 1][: len(layers)], "k_", ms=30, mew=2, label="LoRA r=2 (fixed)")
        ax.set_xticks(np.arange(len(layers)))
        ax.set_xticklabels(layers)
        ax.set_ylabel("kept components at the end")
        ax.set_title(f"{problem}: where the 7 components went (bars: mean, dots: seeds)")
        ax.legend(fontsize=7)
        ax = row[1]
        for arm, style in (("sublora", "-"), ("adalora", "--")):
            r = runs[problem].get(arm, {}).get(1)
            if not r or "ranks" not in r:
                continue
            for j, layer in enumerate(r["layers"]):
                ax.step(r["alloc_steps"], r["ranks"][:, j], style, where="post", color=colors[j],
                        label=f"{dict(ARMS)[arm].split(' ')[0]} {layer}")
        ax.set_xlabel("step")
        ax.set_ylabel("kept components")
        ax.set_title(f"{problem}: per-layer ranks at each allocation (seed 1)")
        ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    return table_main("sublora_table.py", __doc__, collect, markdown, plot)


if __name__ == "__main__":
    sys.exit(main())
