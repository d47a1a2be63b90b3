#!/usr/bin/env bash
# Time per training step (docs/transfer.md, "Time per step"): dense KAN,
# Slim KAN and LoTRA on the KAN sweep's Poisson target, at the sweep's size
# ([8, 8], G = 5, ranks [4,4,4]) and a wider one ([32, 32], G = 10, ranks
# [8,8,8]), 300 Adam steps, one thread, evaluation only at the end; every
# case twice, interleaved. Prints steps_per_s from /metrics.
# Usage: experiments/transfer_kan/time_steps.sh [PINNKIT_BINARY]   (from the repository root)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_kan/timing
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
cfg=experiments/transfer_kan/poisson_target.yaml
common="--quiet --set training.0.steps=300 --set evaluation.every=0"
small="--set model.kan_hidden=[8,8] --set model.grid=5"
wide="--set model.kan_hidden=[32,32] --set model.grid=10"
cases=(
  "dense_8 $small"
  "slim_8 $small --set model.type=slim_kan --set model.ranks=[4,4,4]"
  "lotra_8 $small --set adapter.type=lotra --set adapter.ranks=[4,4,4]"
  "dense_32 $wide"
  "slim_32 $wide --set model.type=slim_kan --set model.ranks=[8,8,8]"
  "lotra_32 $wide --set adapter.type=lotra --set adapter.ranks=[8,8,8]"
)
for rep in 1 2; do
  for c in "${cases[@]}"; do
    set -- $c
    name=$1
    shift
    "$PINNKIT" run "$cfg" -o "$OUT/${name}_r$rep.h5" $common "$@"
    /usr/bin/python3 -c "import h5py,sys; a=h5py.File(sys.argv[1])['metrics'].attrs; print(sys.argv[2], sys.argv[3], 'steps/s %.1f' % a['steps_per_s'], 'trainable', int(a['params_trainable']))" "$OUT/${name}_r$rep.h5" "$name" "rep$rep"
  done
done
