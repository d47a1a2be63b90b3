#!/usr/bin/python3
"""Time per training step against the number of points, from the JSON that
`benchmarks/compare.py --sweep --json FILE` writes: one line per side and
thread count, log-log, with the linear-scaling guide through pinnkit's
smallest size.

  /usr/bin/python3 tools/plot_step_scaling.py FILE.json -o docs/step_scaling.png
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json")
    ap.add_argument("-o", "--output", default="step_scaling.png")
    args = ap.parse_args()
    with open(args.json) as f:
        data = json.load(f)
    rows = data["sweep"]
    if not rows:
        raise SystemExit("plot_step_scaling.py: %s has no sweep (run compare.py with --sweep)" % args.json)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for threads in sorted({r["threads"] for r in rows}):
        sel = sorted((r for r in rows if r["threads"] == threads), key=lambda r: r["points"])
        pts = [r["points"] for r in sel]
        ax.loglog(pts, [r["ours"]["ms"] for r in sel], "o-", label="pinnkit, %d thread(s)" % threads)
        if all(r["peer"] for r in sel):
            ax.loglog(pts, [r["peer"]["ms_per_step"] for r in sel], "s--", label="PyTorch, %d thread(s)" % threads)
        if threads == min(r["threads"] for r in rows):
            ax.loglog(pts, [sel[0]["ours"]["ms"] * p / pts[0] for p in pts], ":", color="gray", label="linear")
    ax.set_xlabel("training points per step (interior + boundary)")
    ax.set_ylabel("ms per training step")
    ax.set_title("%s (%s, %s)" % (data["sweep_case"], data["host"], data["started"]), fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)
    print("wrote " + args.output)


if __name__ == "__main__":
    main()
