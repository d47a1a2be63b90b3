#!/usr/bin/env bash
# A 2-rank `pinnkit run` (mpirun -np 2) of a small quickstart reaches the
# error of the 1-process run (the same points, split): rel_l2 and final loss
# equal to 1e-6 relative, and only rank 0 wrote a file.
#   usage: tests/hpc/mpi_run.sh PINNKIT_BINARY
set -euo pipefail
pinnkit=$(realpath "$1")
tmp=$(mktemp -d /tmp/pinnkit-mpi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat >run.yaml <<YAML
name: mpi
seed: 1
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [16, 16], activation: tanh}
sampling: {interior: 400, boundary: 100, method: sobol}
training:
  - {optimizer: adam, lr: 2.0e-3, steps: 100}
  - {optimizer: lbfgs, steps: 30}
evaluation: {every: 50, points: grid, grid: [21, 21]}
output: {file: one.h5}
YAML
export OMP_NUM_THREADS=1
"$pinnkit" run run.yaml -q
mpirun --oversubscribe --allow-run-as-root -np 2 "$pinnkit" run run.yaml -q -o two.h5
[ "$(ls *.h5 | wc -l)" -eq 2 ] || { echo "FAIL: expected one.h5 and two.h5, got $(ls)"; exit 1; }
/usr/bin/python3 - <<'PY'
import h5py, sys
a, b = h5py.File("one.h5", "r")["metrics"].attrs, h5py.File("two.h5", "r")["metrics"].attrs
for k in ("rel_l2", "final_loss"):
    d = abs(a[k] - b[k]) / abs(a[k])
    print(f"{k}: 1 rank {a[k]:.12g}, 2 ranks {b[k]:.12g}, relative difference {d:.2g}")
    if d > 1e-6:
        sys.exit("FAIL")
print("PASS")
PY
