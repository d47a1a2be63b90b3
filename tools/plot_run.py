#!/usr/bin/python3
"""Plots one pinnkit result file: prediction, reference and error fields, and
the loss and error history.

Fields come from /eval: 1-D problems as curves, 2-D as coloured maps over the
evaluation points (scattered or grid), 3-D and higher (space-time included) as
the 2-D slice through the first two inputs at the middle value of the others
(--at t=0.5 picks another slice). One row of panels per output; without a
reference only the prediction is drawn. The last row is the history: loss per
step and, where logged, rel_l2.

Usage: /usr/bin/python3 tools/plot_run.py RUN.h5 [-o RUN.png] [--at NAME=VALUE]...
Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib);
draws without a display (Agg).
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def names(attr):
    return [n.decode() if isinstance(n, bytes) else str(n) for n in attr]


def slice_mask(points, inputs, at):
    """Points on the slice through inputs 0 and 1: each further input at the
    value asked for (--at) or its middle value, within half a grid step."""
    mask = np.ones(len(points), dtype=bool)
    chosen = []
    for j in range(2, points.shape[1]):
        col = points[:, j]
        values = np.unique(col)
        target = at.get(inputs[j], 0.5 * (values.min() + values.max()))
        nearest = values[np.argmin(np.abs(values - target))]
        # Grid points share exact values; scattered ones get a band of 5 % of the range.
        band = 0 if len(values) < 0.5 * len(col) else 0.05 * (values.max() - values.min())
        mask &= np.abs(col - nearest) <= band
        chosen.append(f"{inputs[j]} = {nearest:.4g}")
    return mask, ", ".join(chosen)


def draw_field(ax, fig, points, values, inputs, title):
    if points.shape[1] == 1:
        order = np.argsort(points[:, 0])
        ax.plot(points[order, 0], values[order])
        ax.set_xlabel(inputs[0])
    else:
        art = ax.tripcolor(points[:, 0], points[:, 1], values, shading="gouraud", cmap="viridis")
        fig.colorbar(art, ax=ax)
        ax.set_xlabel(inputs[0])
        ax.set_ylabel(inputs[1])
        ax.set_aspect("auto")
    ax.set_title(title, fontsize=9)


def draw_history(axes, history):
    step = history["step"][:]
    loss = history["loss"][:]
    ok = np.isfinite(loss) & (loss > 0)
    axes[0].semilogy(step[ok], loss[ok])
    axes[0].set_xlabel("step")
    axes[0].set_title("loss", fontsize=9)
    if "rel_l2" in history:
        err = history["rel_l2"][:]
        ok = np.isfinite(err) & (err > 0)
        axes[1].semilogy(step[ok], err[ok], "o-", ms=3)
        axes[1].set_xlabel("step")
        axes[1].set_title("rel_l2", fontsize=9)
    else:
        axes[1].axis("off")
    for ax in axes[2:]:
        ax.axis("off")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("run")
    p.add_argument("-o", "--out", help="PNG file (default: RUN with .png)")
    p.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                   help="slice position of an input beyond the first two")
    args = p.parse_args()
    at = {}
    for a in args.at:
        name, _, value = a.partition("=")
        try:
            at[name] = float(value)
        except ValueError:
            sys.exit(f"plot_run.py: --at {a}: expected NAME=NUMBER")
    out = args.out or (args.run[:-3] if args.run.endswith(".h5") else args.run) + ".png"
    try:
        f = h5py.File(args.run, "r")
    except OSError as e:
        sys.exit(f"plot_run.py: {args.run}: expected a pinnkit result file, got {e}")
    with f:
        if "eval" not in f and "history" not in f:
            sys.exit(f"plot_run.py: {args.run}: has neither /eval nor /history (did the run start?)")
        outputs = names(f["eval"].attrs["output_names"]) if "eval" in f else []
        rows = len(outputs) + 1
        fig, axes = plt.subplots(rows, 3, figsize=(13, 3.6 * rows), squeeze=False)
        title = args.run
        if outputs:
            ev = f["eval"]
            inputs = names(ev.attrs["input_names"])
            pts = ev["points"][:]
            mask = np.ones(len(pts), dtype=bool)
            if pts.shape[1] > 2:
                mask, where = slice_mask(pts, inputs, at)
                title += f"  (slice {where})"
            pts2 = pts[mask][:, : min(2, pts.shape[1])]
            pred = ev["u_pred"][:][mask]
            ref = ev["u_ref"][:][mask] if "u_ref" in ev else None
            for k, name in enumerate(outputs):
                draw_field(axes[k][0], fig, pts2, pred[:, k], inputs, f"{name} predicted")
                if ref is not None:
                    draw_field(axes[k][1], fig, pts2, ref[:, k], inputs, f"{name} reference")
                    draw_field(axes[k][2], fig, pts2, np.abs(pred[:, k] - ref[:, k]), inputs, f"|{name} error|")
                else:
                    axes[k][1].axis("off")
                    axes[k][2].axis("off")
        if "history" in f and "step" in f["history"]:
            draw_history(axes[-1], f["history"])
        else:
            for ax in axes[-1]:
                ax.axis("off")
        fig.suptitle(title, fontsize=10)
        fig.tight_layout()
        fig.savefig(out, dpi=90)
    print(out)


if __name__ == "__main__":
    main()
