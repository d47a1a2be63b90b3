#!/usr/bin/env bash
# Time per training step (docs/transfer.md, "Time per step"): dense KAN,
# Slim KAN and LoTRA on the KAN sweep's Poisson target (500 + 100 points),
# at the sweep's size ([8, 8], G = 5, ranks [4,4,4]) and a wider one
# ([32, 32], G = 10, ranks [8,8,8] and [2,2,2]); LoTRA in both step forms
# (adapter.contraction: coefficients = expand T per pass, features = the
# feature-level contraction) and auto. One thread, evaluation only at the end.
#
# The development machine is shared (load 5-10 on 2 cores), so wall-clock
# steps/s swing by 2x; the script measures CPU time instead: every case runs
# STEPS_LO and STEPS_HI Adam steps and the difference of the process's user +
# system CPU seconds over STEPS_HI - STEPS_LO is the CPU time per step (setup,
# pretraining-free init and the final evaluation cancel). Every case REPS
# times (default 3), all cases interleaved within a repetition; prints each
# measurement, then min / median / max per case.
# Usage: experiments/transfer_kan/time_steps.sh [PINNKIT_BINARY]   (from the repository root)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
export PINNKIT REPS=${REPS:-3} STEPS_LO=${STEPS_LO:-20} STEPS_HI=${STEPS_HI:-220}
export OUT=results/transfer_kan/timing
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
/usr/bin/python3 - <<'PY'
import os, resource, statistics, subprocess
pinnkit, out = os.environ["PINNKIT"], os.environ["OUT"]
reps, lo, hi = int(os.environ["REPS"]), int(os.environ["STEPS_LO"]), int(os.environ["STEPS_HI"])
cfg = "experiments/transfer_kan/poisson_target.yaml"
small = ["model.kan_hidden=[8,8]", "model.grid=5"]
wide = ["model.kan_hidden=[32,32]", "model.grid=10"]
def lotra(ranks, form):
    return ["adapter.type=lotra", "adapter.ranks=[%s]" % ranks, "adapter.contraction=" + form]
cases = [("dense_8", small), ("slim_8", small + ["model.type=slim_kan", "model.ranks=[4,4,4]"])]
cases += [("lotra_8_" + f, small + lotra("4,4,4", f)) for f in ("coefficients", "features", "auto")]
cases += [("dense_32", wide), ("slim_32", wide + ["model.type=slim_kan", "model.ranks=[8,8,8]"])]
for r in ("8,8,8", "2,2,2"):
    cases += [("lotra_32_r%s_%s" % (r[0], f), wide + lotra(r, f)) for f in ("coefficients", "features", "auto")]

def cpu_seconds(name, sets, steps):
    args = [pinnkit, "run", cfg, "-o", "%s/%s.h5" % (out, name), "--quiet",
            "--set", "training.0.steps=%d" % steps, "--set", "evaluation.every=0"]
    for s in sets:
        args += ["--set", s]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

ms = {name: [] for name, _ in cases}
for rep in range(1, reps + 1):
    for name, sets in cases:
        t = (cpu_seconds(name, sets, hi) - cpu_seconds(name, sets, lo)) / (hi - lo) * 1000.0
        ms[name].append(t)
        print("%s rep%d %.2f ms/step (CPU)" % (name, rep, t), flush=True)
print("\ncase  CPU ms per step: min / median / max over %d reps (steps %d - %d)" % (reps, lo, hi))
for name, _ in cases:
    v = sorted(ms[name])
    print("%-26s %7.2f / %7.2f / %7.2f" % (name, v[0], statistics.median(v), v[-1]))
PY
