#!/usr/bin/env bash
# Strong and weak scaling of MPI data parallelism on this machine
# (docs/hpc.md): Adam steps of a 2-D Poisson MLP (4 x 64 tanh), 1 thread per
# rank, 1 and 2 ranks; each case REPEATS times, interleaved.
#   strong: 8192 interior points in all;   weak: 4096 interior points per rank.
# Prints one line per run: case ranks points seconds_per_step.
#   usage: benchmarks/mpi_scaling.sh [PINNKIT_BINARY]   (REPEATS=3 STEPS=300)
set -euo pipefail
pinnkit=$(realpath "${1:-build/pinnkit}")
repeats=${REPEATS:-3}
steps=${STEPS:-300}
tmp=$(mktemp -d /tmp/pinnkit-scaling.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat >base.yaml <<YAML
name: scaling
seed: 1
problem: {pde: poisson2d, params: {a: 1}}
model: {type: mlp, hidden: [64, 64, 64, 64], activation: tanh}
sampling: {interior: 8192, boundary: 512, method: sobol}
training:
  - {optimizer: adam, lr: 1.0e-3, steps: $steps}
evaluation: {every: 0, points: grid, grid: [11, 11]}
output: {file: out.h5, xdmf: false}
YAML
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
seconds_per_step() {
  /usr/bin/python3 -c "import h5py; m = h5py.File('out.h5', 'r')['metrics'].attrs; print(m['train_time_s'] / m['steps'])"
}
run() {  # case ranks interior
  if [ "$2" -eq 1 ]; then
    "$pinnkit" run base.yaml -q --set sampling.interior="$3"
  else
    mpirun --oversubscribe --allow-run-as-root -np "$2" "$pinnkit" run base.yaml -q --set sampling.interior="$3"
  fi
  echo "$1 $2 $3 $(seconds_per_step)"
}
for _ in $(seq "$repeats"); do
  run strong 1 8192
  run strong 2 8192
  run weak 1 4096
  run weak 2 8192
done
