#!/usr/bin/env bash
# KAN transfer sweep of docs/transfer.md ("LoTRA and Slim KAN"): for Poisson
# (a = 1 -> 2) and Helmholtz ((1,1,1) -> (1,2,1)), one pretrain, then with
# seeds 1, 2, 3 (adapter init and points): from scratch, full fine-tuning,
# LoTRA ranks [4,4,4] with component learning rates (eta / n_in for U_in)
# and with one shared rate, each at lr 5e-3 (the other arms' rate) and at
# lr 2e-2; and from scratch a Slim KAN [8, 8] (ranks
# [4,4,4]) against a dense KAN [6, 6] (similar trainable parameter count);
# the dense KAN of equal width [8, 8] is the scratch arm. Then
# tools/transfer_kan_table.py writes the table (mean +- std over seeds).
# Usage: experiments/transfer_kan/run.sh [PINNKIT_BINARY]   (from the repository root)
# Runs two processes at a time, one thread each.
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_kan
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
cfg=experiments/transfer_kan

run() {  # name config [--set ...]
  local name=$1 config=$2
  shift 2
  "$PINNKIT" run "$config" --quiet -o "$OUT/$name.h5" "$@"
  echo "done $name"
}
export -f run
export PINNKIT OUT

arms() {  # problem: one line per run
  local p=$1 base="--set init_from=$OUT/$1_pretrain.h5" lotra="--set adapter.type=lotra --set adapter.ranks=[4,4,4]"
  for s in 1 2 3; do
    echo "${p}_scratch_s$s $cfg/${p}_target.yaml --seed $s"
    echo "${p}_full_s$s $cfg/${p}_target.yaml --seed $s $base"
    echo "${p}_lotra_component_s$s $cfg/${p}_target.yaml --seed $s $base $lotra --set adapter.lr_scaling=component"
    echo "${p}_lotra_shared_s$s $cfg/${p}_target.yaml --seed $s $base $lotra --set adapter.lr_scaling=shared"
    echo "${p}_lotra_component_hi_s$s $cfg/${p}_target.yaml --seed $s $base $lotra --set adapter.lr_scaling=component --set training.0.lr=2e-2"
    echo "${p}_lotra_shared_hi_s$s $cfg/${p}_target.yaml --seed $s $base $lotra --set adapter.lr_scaling=shared --set training.0.lr=2e-2"
    echo "${p}_slim_s$s $cfg/${p}_target.yaml --seed $s --set model.type=slim_kan --set model.ranks=[4,4,4]"
    echo "${p}_dense_small_s$s $cfg/${p}_target.yaml --seed $s --set model.kan_hidden=[6,6]"
  done
}

printf '%s\n' "poisson_pretrain $cfg/poisson_pretrain.yaml" "helmholtz_pretrain $cfg/helmholtz_pretrain.yaml" |
  xargs -P 2 -L 1 bash -c 'run "$@"' _
{ arms poisson; arms helmholtz; } | xargs -P 2 -L 1 bash -c 'run "$@"' _
/usr/bin/python3 tools/transfer_kan_table.py "$OUT" --markdown "$OUT/transfer_kan_table.md"
