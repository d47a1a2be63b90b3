#!/usr/bin/env bash
# The transfer sweep of docs/transfer.md: for Poisson (a = 1 -> 2) and
# Helmholtz ((1,1,1) -> (1,4,1)), one pretrain and nine fine-tuning arms with
# the same steps, seed and points: scratch, full fine-tuning, LoRA ranks
# 1/2/4/8, LoRA+ (rank 4, lora_B learning rate x16), LoRA rank 4 with
# spectral init and ScaledGD (rank 4; a preconditioned gradient step, not
# Adam, so lr 1e-4: 2e-4 diverged on Poisson in a 300-step probe). Then tools/transfer_table.py writes the table and the plot.
# Usage: experiments/transfer/run.sh [PINNKIT_BINARY]   (from the repository root)
# Runs two processes at a time, one thread each.
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
cfg=experiments/transfer

run() {  # name config [--set ...]
  local name=$1 config=$2
  shift 2
  "$PINNKIT" run "$config" --quiet -o "$OUT/$name.h5" "$@"
  echo "done $name"
}
export -f run
export PINNKIT OUT

arms() {  # problem: one line per fine-tuning run
  local p=$1 base="--set init_from=$OUT/$1_pretrain.h5"
  echo "${p}_scratch $cfg/${p}_target.yaml"
  echo "${p}_full $cfg/${p}_target.yaml $base"
  for r in 1 2 4 8; do
    echo "${p}_lora_r$r $cfg/${p}_target.yaml $base --set adapter.type=lora --set adapter.rank=$r"
  done
  echo "${p}_loraplus_r4 $cfg/${p}_target.yaml $base --set adapter.type=lora --set adapter.rank=4 --set training.0.group_lr.lora_B=16"
  echo "${p}_lora_spectral_r4 $cfg/${p}_target.yaml $base --set adapter.type=lora --set adapter.rank=4 --set adapter.init=spectral"
  echo "${p}_scaledgd_r4 $cfg/${p}_target.yaml $base --set adapter.type=lora --set adapter.rank=4 --set training.0.optimizer=scaled_gd --set training.0.lr=1e-4"
}

printf '%s\n' "poisson_pretrain $cfg/poisson_pretrain.yaml" "helmholtz_pretrain $cfg/helmholtz_pretrain.yaml" |
  xargs -P 2 -L 1 bash -c 'run "$@"' _
{ arms poisson; arms helmholtz; } | xargs -P 2 -L 1 bash -c 'run "$@"' _
/usr/bin/python3 tools/transfer_table.py "$OUT" --markdown "$OUT/transfer_table.md" --plot docs/transfer_curves.png
