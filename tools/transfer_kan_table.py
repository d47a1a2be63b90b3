#!/usr/bin/env python3
"""Table of the KAN transfer sweep (experiments/transfer_kan/run.sh).

Reads every RESULTS/<problem>_<arm>_s<seed>.h5, groups the seeds of each
arm and prints (or writes with --markdown) per problem and arm: trainable
parameters, Tucker coefficient parameters (Slim KAN), final relative L2
error as mean +- sample std with [min, max] over seeds, final loss (mean),
steps per second (mean) and the number of seeds.
"""
import argparse
import glob
import math
import os
import re
import sys

import h5py


def stats(v):
    m = sum(v) / len(v)
    s = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else 0.0
    return m, s, min(v), max(v)


LABELS = {
    "scratch": "from scratch (dense KAN [8, 8])",
    "full": "full fine-tuning",
    "lotra_component": "LoTRA [4,4,4], component rates (eta/n_in for U_in)",
    "lotra_shared": "LoTRA [4,4,4], shared rate",
    "lotra_component_hi": "LoTRA [4,4,4], component rates, lr 2e-2",
    "lotra_shared_hi": "LoTRA [4,4,4], shared rate, lr 2e-2",
    "slim": "Slim KAN [8, 8] ranks [4,4,4], from scratch",
    "dense_small": "dense KAN [6, 6], from scratch",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--markdown")
    a = ap.parse_args()
    rows = {}
    for path in sorted(glob.glob(os.path.join(a.results, "*_s[0-9]*.h5"))):
        m = re.match(r"(\w+?)_(\w+)_s(\d+)\.h5$", os.path.basename(path))
        if not m:
            continue
        problem, arm, _ = m.groups()
        with h5py.File(path, "r") as f:
            at = f["metrics"].attrs
            rows.setdefault((problem, arm), []).append(
                {k: float(at[k]) for k in at.keys()} | {"status": f.attrs.get("status", b"?")})
    out = []
    for problem in sorted({p for p, _ in rows}):
        out.append(f"### {problem}\n")
        out.append("| arm | trainable params | Tucker coef. params | rel. L2 error: mean +- std [min, max] | final loss (mean) | steps/s (mean) | seeds |")
        out.append("|---|---|---|---|---|---|---|")
        for arm in LABELS:
            r = rows.get((problem, arm))
            if not r:
                continue
            e = stats([x["rel_l2"] for x in r])
            loss = stats([x["final_loss"] for x in r])[0]
            sps = stats([x["steps_per_s"] for x in r])[0]
            tucker = r[0].get("slim_kan_tucker_params")
            out.append(f"| {LABELS[arm]} | {int(r[0]['params_trainable'])} | {int(tucker) if tucker else '-'} | "
                       f"{e[0]:.3e} +- {e[1]:.1e} [{e[2]:.3e}, {e[3]:.3e}] | {loss:.3e} | {sps:.1f} | {len(r)} |")
        out.append("")
    text = "\n".join(out)
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
