#!/usr/bin/python3
"""Overlays the histories of several pinnkit runs: loss and, where logged,
rel_l2 against step (or wall time with --x time_s), one line per run.

Usage: /usr/bin/python3 tools/plot_runs.py RUN.h5... -o runs.png [--x step|time_s] [--labels a,b,...]
Folders are searched for *.h5. Needs h5py, numpy, matplotlib; draws without a display (Agg).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def result_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            found = [os.path.join(d, n) for d, _, ns in os.walk(p) for n in ns if n.endswith(".h5")]
            files += sorted(found)
        elif os.path.exists(p):
            files.append(p)
        else:
            sys.exit(f"plot_runs.py: {p}: expected a result file or a folder of them, got nothing at that path")
    return files


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+")
    p.add_argument("-o", "--out", required=True, help="PNG file")
    p.add_argument("--x", default="step", choices=["step", "time_s"])
    p.add_argument("--labels", help="comma-separated, one per run (default: file names)")
    args = p.parse_args()
    files = result_files(args.runs)
    if not files:
        sys.exit("plot_runs.py: no result files found")
    labels = args.labels.split(",") if args.labels else [os.path.basename(f)[:-3] for f in files]
    if len(labels) != len(files):
        sys.exit(f"plot_runs.py: --labels: expected {len(files)} labels, got {len(labels)}")
    fig, (ax_loss, ax_err) = plt.subplots(1, 2, figsize=(12, 4.2))
    drawn = 0
    for path, label in zip(files, labels):
        try:
            with h5py.File(path, "r") as f:
                if "history" not in f or args.x not in f["history"]:
                    print(f"plot_runs.py: {path}: no /history/{args.x}; left out", file=sys.stderr)
                    continue
                h = f["history"]
                x, loss = h[args.x][:], h["loss"][:]
                ok = np.isfinite(loss) & (loss > 0)
                line, = ax_loss.semilogy(x[ok], loss[ok], label=label)
                if "rel_l2" in h:
                    err = h["rel_l2"][:]
                    ok = np.isfinite(err) & (err > 0)
                    ax_err.semilogy(x[ok], err[ok], "o-", ms=2, color=line.get_color(), label=label)
                drawn += 1
        except OSError as e:
            print(f"plot_runs.py: {path}: not a result file ({e}); left out", file=sys.stderr)
    if drawn == 0:
        sys.exit("plot_runs.py: none of the files has a history to draw")
    for ax, name in ((ax_loss, "loss"), (ax_err, "rel_l2")):
        ax.set_xlabel(args.x)
        ax.set_title(name)
        ax.grid(True, which="both", alpha=0.3)
    ax_loss.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print(args.out)


if __name__ == "__main__":
    main()
