#!/usr/bin/env bash
# The step-size probe behind run_odelora.sh's H_EULER and H_RK4
# (docs/transfer.md, "ODELoRA arms"): ODELoRA Euler and RK4 at several h,
# $STEPS steps (default 500), seed 1, on the problems in $PROBLEMS (default
# poisson helmholtz), from the pretrained models of run_odelora.sh (made
# here when missing). Prints final loss, rel. L2 error, the largest rise of
# the loss between two steps and the number of steps it rose more than 10x.
# Usage: experiments/transfer/probe_odelora_h.sh [PINNKIT_BINARY]   (from the repository root)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_odelora
PROBE=$OUT/probe
STEPS=${STEPS:-500}
PROBLEMS=${PROBLEMS:-poisson helmholtz}
HS=${HS:-3e-5 1e-4 3e-4 1e-3 3e-3}
mkdir -p "$PROBE"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
cfg=experiments/transfer

run() {  # output config [--set ...]
  local out=$1 config=$2
  shift 2
  "$PINNKIT" run "$config" --quiet -o "$out" "$@" > /dev/null 2>&1 || echo "exit $? $out"
}
export -f run
export PINNKIT

for p in $PROBLEMS; do
  [ -f "$OUT/${p}_pretrain.h5" ] || echo "$OUT/${p}_pretrain.h5 $cfg/${p}_pretrain.yaml"
done | xargs -r -P 2 -L 1 bash -c 'run "$@"' _
for p in $PROBLEMS; do
  for integrator in euler rk4; do
    for h in $HS; do
      echo "$PROBE/${p}_${integrator}_h$h.h5 $cfg/${p}_target.yaml --seed 1 --set init_from=$OUT/${p}_pretrain.h5" \
           "--set adapter.type=lora --set adapter.rank=4 --set adapter.init=balanced_random" \
           "--set training.0.optimizer=odelora --set training.0.integrator=$integrator --set training.0.lr=$h" \
           "--set training.0.steps=$STEPS --set output.history_every=1"
    done
  done
done | xargs -P 2 -L 1 bash -c 'run "$@"' _
/usr/bin/python3 - "$PROBE" <<'PY'
import glob, os, sys
import h5py, numpy as np
print("| problem | integrator | h | final loss | rel. L2 | max step ratio | steps > 10x | status |")
print("|---|---|---|---|---|---|---|---|")
def key(path):
    p, i, h = os.path.basename(path)[:-3].rsplit("_", 2)
    return p, i, float(h[1:])
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.h5")), key=key):
    p, i, h = key(path)
    with h5py.File(path, "r") as f:
        m = dict(f["metrics"].attrs) if "metrics" in f else {}
        loss = np.asarray(f["history"]["loss"], dtype=float)
        status = f.attrs.get("status", b"?")
    status = status.decode() if isinstance(status, bytes) else str(status)
    ratio = loss[1:] / np.maximum(loss[:-1], 1e-300)
    print(f"| {p} | {i} | {h:g} | {m.get('final_loss', float('nan')):.3e} | {m.get('rel_l2', float('nan')):.3e} | "
          f"{np.nanmax(ratio):.2f} | {int(np.sum(ratio > 10))} | {status} |")
PY
