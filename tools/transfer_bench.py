#!/usr/bin/python3
"""Tables and plots of the transfer benchmark (experiments/transfer_bench/run.sh).

Reads the sweep folders under RESULTS (default results/transfer_bench): each
family's fine-tuning sweep FAMILY/ and its pretraining sweep FAMILY_pretrain/
(manifest.yaml + runs/*.h5, written by `pinnkit sweep`). For every family and
target (the run's problem.params overrides) and every arm (the sweep's case)
it reports over seeds: the relative L2 error before the first step and at the
first evaluation during training (means: how much of a head start the
pretrained model gives), the final error (mean, sample std, min, max),
its ratio to the scratch arm's mean, trainable parameters, gradient
evaluations (/metrics `evaluations`: every oracle call, line searches and
second-order scores included), training wall time, and runs that did not
complete (diverged, interrupted, missing: counted, never averaged in).

Writes a Markdown report (--markdown), and with --doc replaces the part of
that document between the markers
    <!-- transfer_bench:begin -->  and  <!-- transfer_bench:end -->
with it; --plots DIR draws transfer_bench_curves.png (error vs step, mean
over seeds, one panel per target) and transfer_bench_params.png (final
error vs trainable parameters, one panel per target).

Usage: /usr/bin/python3 tools/transfer_bench.py [RESULTS] [--markdown OUT.md]
           [--doc docs/transfer.md] [--plots docs]
Needs h5py, matplotlib and yaml (Debian: python3-h5py, python3-matplotlib,
python3-yaml). Exit 2 when RESULTS holds no benchmark runs.
"""
import argparse
import os
import sys
from collections import OrderedDict

import numpy as np
import yaml

from result_file import read_result

BEGIN, END = "<!-- transfer_bench:begin -->", "<!-- transfer_bench:end -->"

ARM_LABELS = {
    "scratch": "from scratch",
    "full": "full fine-tuning",
    "lora": "LoRA r=4",
    "loraplus": "LoRA+ r=4 (lr_B = 16 lr_A)",
    "scaledgd": "ScaledGD r=4",
    "odelora_euler": "ODELoRA Euler r=4",
    "odelora_rk4": "ODELoRA RK4 r=4 (1/4 of the steps)",
    "sublora": "SubLoRA (19-27 -> rank-4 budget)",
    "adalora": "AdaLoRA (same budget)",
    "lotra_component": "LoTRA [4,4,4], component rates",
    "lotra_shared": "LoTRA [4,4,4], shared rate",
    "lora_kan": "LoRA r=4 on KAN coefficients",
    "slim": "Slim KAN [4,4,4], pretrained, whole",
}


def read_run(path):
    """The run's status, /metrics attributes and (step, rel_l2) history; None when missing."""
    if not os.path.exists(path):
        return None
    try:
        run = read_result(path)
    except OSError as e:
        print(f"transfer_bench.py: {path}: unreadable ({e}); counted as not completed", file=sys.stderr)
        return None
    step = run["history"].get("step", np.zeros(0))
    err = run["history"].get("rel_l2", np.full(step.shape, np.nan))
    keep = np.isfinite(err)
    return {"status": run["status"], "metrics": run["metrics"], "step": step[keep], "rel_l2": err[keep]}


def target_of(overrides):
    params = [o.split("=", 1) for o in overrides if o.startswith("problem.params.")]
    return ", ".join(f"{k[len('problem.params.'):]} = {float(v):.4g}" for k, v in params) or "target"


def load_sweep(folder):
    """OrderedDict target -> OrderedDict arm -> list of runs (None = no usable result)."""
    manifest = os.path.join(folder, "manifest.yaml")
    if not os.path.exists(manifest):
        return None
    with open(manifest) as f:
        runs = yaml.safe_load(f)["runs"]
    out = OrderedDict()
    for r in runs:
        arm = r.get("case", "run")
        target = target_of(r["overrides"])
        out.setdefault(target, OrderedDict()).setdefault(arm, []).append(read_run(r["result"]))
    return out


def completed(runs):
    return [r for r in runs if r is not None and r["status"] == "completed" and "rel_l2" in r["metrics"]]


def not_completed(runs):
    """'2 diverged, 1 missing' for the runs that did not complete; '0' when all did."""
    counts = OrderedDict()
    for r in runs:
        if r is None or r["status"] != "completed" or "rel_l2" not in r["metrics"]:
            status = "missing" if r is None else (r["status"] if r["status"] != "completed" else "no error")
            counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in counts.items()) or "0"


def stats(values):
    v = np.asarray(values, dtype=float)
    std = float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
    return float(np.mean(v)), std, float(np.min(v)), float(np.max(v))


def curve_point(done, row):
    """Mean over seeds of the history's `row`-th evaluation (0: before the
    first step, 1: the first evaluation during training), with its step."""
    rows = [(r["step"][row], r["rel_l2"][row]) for r in done if len(r["step"]) > row]
    if not rows:
        return ""
    return f"{np.mean([e for _, e in rows]):.2e} (step {int(rows[0][0])})"


def family_table(family, targets):
    lines = []
    for target, arms in targets.items():
        scratch = completed(arms.get("scratch", []))
        ref = stats([r["metrics"]["rel_l2"] for r in scratch])[0] if scratch else None
        lines += [f"#### {family}: {target}", "",
                  "| arm | trainable params | gradient evals | time (s) | rel. L2 at step 0 | at the first evaluation | final rel. L2 mean +- std [min, max] | / scratch | not completed |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for arm, runs in arms.items():
            done = completed(runs)
            bad = not_completed(runs)
            label = ARM_LABELS.get(arm, arm)
            if not done:
                lines.append(f"| {label} | | | | | | none of {len(runs)} completed | | {bad} |")
                continue
            m = [r["metrics"] for r in done]
            mean, std, lo, hi = stats([x["rel_l2"] for x in m])
            ratio = f"{mean / ref:.2f}" if ref else ""
            lines.append(
                f"| {label} | {int(np.median([x.get('params_trainable', np.nan) for x in m]))} "
                f"| {int(np.mean([x.get('evaluations', np.nan) for x in m]))} "
                f"| {np.mean([x.get('train_time_s', np.nan) for x in m]):.1f} "
                f"| {curve_point(done, 0)} | {curve_point(done, 1)} "
                f"| {mean:.3e} +- {std:.1e} [{lo:.2e}, {hi:.2e}] (n={len(done)}) | {ratio} | {bad} |")
        lines.append("")
    return lines


def pretrain_table(results, families):
    lines = ["| family | source run | rel. L2 | gradient evals | time (s) | status |", "|---|---|---|---|---|---|"]
    for family in families:
        sweep = load_sweep(os.path.join(results, family + "_pretrain"))
        if not sweep:
            continue
        for arms in sweep.values():
            for arm, runs in arms.items():
                for r in runs:
                    if r is None:
                        lines.append(f"| {family} | {arm} | | | | missing |")
                        continue
                    m = r["metrics"]
                    lines.append(f"| {family} | {arm} | {m.get('rel_l2', float('nan')):.3e} | "
                                 f"{int(m.get('evaluations', 0))} | {m.get('train_time_s', float('nan')):.1f} | {r['status']} |")
    return lines


def markdown(results, sweeps):
    lines = ["Pretrained (source) models, one run each:", ""] + pretrain_table(results, sweeps.keys()) + [""]
    for family, targets in sweeps.items():
        lines += family_table(family, targets)
    return "\n".join(lines).rstrip() + "\n"


def panels(sweeps):
    return [(f"{family}: {target}", arms) for family, targets in sweeps.items() for target, arms in targets.items()]


def colour(arm):
    """One colour per arm across every panel (tab20 by ARM_LABELS order)."""
    import matplotlib
    keys = list(ARM_LABELS)
    return matplotlib.colormaps["tab20"](keys.index(arm) % 20 if arm in keys else 19)


def panel_grid(items):
    """A figure with one panel per (title, arms) item, three to a row."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cols = 3
    rows = (len(items) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.6 * rows), squeeze=False)
    return fig, axes


def label_panel(ax, title, xlabel, ylabel):
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)


def finish(fig, axes, used, path):
    """Blank the unused panels, one legend for all arms, save."""
    import matplotlib.pyplot as plt
    for ax in list(axes.flat)[used:]:
        ax.axis("off")
    handles, labels = [], []
    for ax in axes.flat:
        for h, l in zip(*ax.get_legend_handles_labels()):
            if l not in labels:
                handles.append(h)
                labels.append(l)
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_curves(sweeps, path):
    items = panels(sweeps)
    fig, axes = panel_grid(items)
    for ax, (title, arms) in zip(axes.flat, items):
        for arm, runs in arms.items():
            done = [r for r in completed(runs) if len(r["step"])]
            if not done:
                continue
            n = min(len(r["step"]) for r in done)
            err = np.mean([r["rel_l2"][:n] for r in done], axis=0)
            ax.semilogy(done[0]["step"][:n], err, label=ARM_LABELS.get(arm, arm), color=colour(arm))
        label_panel(ax, title, "step", "rel. L2 (mean over seeds)")
    finish(fig, axes, len(items), path)


def plot_params(sweeps, path):
    items = panels(sweeps)
    fig, axes = panel_grid(items)
    for ax, (title, arms) in zip(axes.flat, items):
        for arm, runs in arms.items():
            done = completed(runs)
            if not done:
                continue
            p = np.median([r["metrics"].get("params_trainable", np.nan) for r in done])
            mean, std, lo, hi = stats([r["metrics"]["rel_l2"] for r in done])
            ax.errorbar([p], [mean], yerr=[[max(mean - lo, 0.0)], [max(hi - mean, 0.0)]], fmt="o", capsize=3,
                        label=ARM_LABELS.get(arm, arm), color=colour(arm))
        ax.set_xscale("log")
        ax.set_yscale("log")
        label_panel(ax, title, "trainable parameters", "final rel. L2 (mean, min-max)")
    finish(fig, axes, len(items), path)


def replace_section(doc, text):
    with open(doc) as f:
        body = f.read()
    if BEGIN not in body or END not in body or body.index(BEGIN) > body.index(END):
        print(f"transfer_bench.py: {doc}: expected the markers {BEGIN} ... {END}", file=sys.stderr)
        return 2
    head, rest = body.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    tmp = doc + ".new"
    with open(tmp, "w") as f:
        f.write(head + BEGIN + "\n" + text + END + tail)
    os.replace(tmp, doc)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", nargs="?", default="results/transfer_bench")
    ap.add_argument("--markdown", help="write the report here")
    ap.add_argument("--doc", help="replace the marked section of this Markdown file")
    ap.add_argument("--plots", help="folder for transfer_bench_curves.png and transfer_bench_params.png")
    ap.add_argument("--families", nargs="*", help="in this order (default: every fine-tuning sweep found)")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.results):
        print(f"transfer_bench.py: {args.results}: expected a results folder of the benchmark", file=sys.stderr)
        return 2
    names = args.families or sorted(d for d in os.listdir(args.results)
                                    if not d.endswith("_pretrain") and os.path.isdir(os.path.join(args.results, d)))
    sweeps = OrderedDict()
    for name in names:
        sweep = load_sweep(os.path.join(args.results, name))
        if sweep:
            sweeps[name] = sweep
    if not sweeps:
        print(f"transfer_bench.py: no benchmark sweeps (FAMILY/manifest.yaml) in {args.results}", file=sys.stderr)
        return 2
    text = markdown(args.results, sweeps)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.doc and replace_section(args.doc, text):
        return 2
    if args.plots:
        plot_curves(sweeps, os.path.join(args.plots, "transfer_bench_curves.png"))
        plot_params(sweeps, os.path.join(args.plots, "transfer_bench_params.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
