#!/usr/bin/env bash
# A 2-rank `pinnkit run` (mpirun -np 2) of a small quickstart reaches the
# error of the 1-process run (the same points, split): rel_l2 and final loss
# equal to 1e-6 relative (float32 builds: 1e-12 times eps(float)/eps(double),
# 5.4e-4: the round-off of the split sums carried through training, as in
# tests/support/precision.hpp), and only rank 0 wrote a file.
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
one = h5py.File("one.h5", "r")
a, b = one["metrics"].attrs, h5py.File("two.h5", "r")["metrics"].attrs
real = one.attrs["real_type"]
real = real.decode() if isinstance(real, bytes) else str(real)
tol = 1e-6 if real == "float64" else max(1e-6, 1e-12 * 2.0**-23 / 2.0**-52)
for k in ("rel_l2", "final_loss"):
    d = abs(a[k] - b[k]) / abs(a[k])
    print(f"{k}: 1 rank {a[k]:.12g}, 2 ranks {b[k]:.12g}, relative difference {d:.2g}")
    if d > tol:
        sys.exit("FAIL")
print("PASS")
PY
