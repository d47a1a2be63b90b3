#!/usr/bin/python3
"""Comparison table (markdown) and loss curves (PNG) of the transfer sweep.

Reads every <problem>_<arm>.h5 in a results folder (experiments/transfer/run.sh
writes them), and prints one markdown table per problem: arm, trainable /
total parameters, final loss, relative L2 error, time. The plot shows the
training loss against the step for every arm, one panel per problem.

Usage: /usr/bin/python3 tools/transfer_table.py results/transfer \
           [--markdown OUT.md] [--plot OUT.png]
Needs h5py and matplotlib (Debian: python3-h5py, python3-matplotlib).
"""
import argparse
import glob
import os
import sys


from result_file import read_result

ARM_ORDER = ["pretrain", "scratch", "full", "lora_r1", "lora_r2", "lora_r4", "lora_r8",
             "loraplus_r4", "lora_spectral_r4", "scaledgd_r4"]
ARM_TEXT = {
    "pretrain": "pretrain (source instance)",
    "scratch": "from scratch",
    "full": "full fine-tuning",
    "loraplus_r4": "LoRA+ r=4 (lr_B = 16 lr_A)",
    "lora_spectral_r4": "LoRA r=4, spectral init",
    "scaledgd_r4": "ScaledGD r=4",
}


def arm_text(arm):
    if arm in ARM_TEXT:
        return ARM_TEXT[arm]
    if arm.startswith("lora_r"):
        return "LoRA r=" + arm[len("lora_r"):]
    return arm


read_run = read_result


def collect(folder):
    runs = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.h5"))):
        stem = os.path.basename(path)[:-3]
        problem, _, arm = stem.partition("_")
        if not arm:
            continue
        runs.setdefault(problem, {})[arm] = read_run(path)
    return runs


def order_key(arm):
    return ARM_ORDER.index(arm) if arm in ARM_ORDER else len(ARM_ORDER)


def markdown(runs):
    lines = []
    for problem in sorted(runs):
        arms = runs[problem]
        lines.append(f"### {problem}\n")
        lines.append("| arm | trainable / total params | steps | final loss | rel. L2 error | time (s) | status |")
        lines.append("|---|---|---|---|---|---|---|")
        for arm in sorted(arms, key=order_key):
            m = arms[arm]["metrics"]
            trainable = int(m["params_trainable"]) if "params_trainable" in m else "?"
            total = int(m["params_total"]) if "params_total" in m else "?"
            lines.append(
                f"| {arm_text(arm)} | {trainable} / {total} | {int(m.get('steps', 0))} | "
                f"{m.get('final_loss', float('nan')):.3e} | {m.get('rel_l2', float('nan')):.3e} | "
                f"{m.get('train_time_s', float('nan')):.1f} | {arms[arm]['status']} |")
        lines.append("")
    return "\n".join(lines)


def plot(runs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    problems = sorted(runs)
    fig, axes = plt.subplots(1, len(problems), figsize=(6 * len(problems), 4.5), squeeze=False)
    for ax, problem in zip(axes[0], problems):
        for arm in sorted(runs[problem], key=order_key):
            if arm == "pretrain":
                continue
            h = runs[problem][arm]["history"]
            ax.semilogy(h["step"], h["loss"], label=arm_text(arm), lw=1.2)
        ax.set_title(f"{problem}: fine-tuning loss")
        ax.set_xlabel("step")
        ax.set_ylabel("training loss")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--markdown", help="write the table here (else stdout)")
    parser.add_argument("--plot", help="write the loss curves here (PNG)")
    args = parser.parse_args()
    runs = collect(args.folder)
    if not runs:
        sys.exit(f"{args.folder}: no <problem>_<arm>.h5 result files")
    table = markdown(runs)
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(table + "\n")
    else:
        print(table)
    if args.plot:
        plot(runs, args.plot)


if __name__ == "__main__":
    main()
