#!/usr/bin/env bash
# ODELoRA arms of the transfer sweep (docs/transfer.md, "ODELoRA arms"):
# for the problems in $PROBLEMS (default: poisson, a = 1 -> 2, and helmholtz,
# (1,1,1) -> (1,4,1)), seeds 1 2 3, $STEPS steps (default 1500, the sweep's
# budget), rank 4 adapters from the pretrained model, the same points for
# every arm, a history row every step (for the loss spikes):
#   lora        Adam lr 2e-3, STEPS steps (standard init)
#   loraplus    the same with lr_B = 16 lr_A
#   scaledgd    ScaledGD lr 1e-4, STEPS steps
#   odeE        ODELoRA Euler h, STEPS steps (STEPS gradients), balanced_random init
#   odeRK4      ODELoRA RK4   h, STEPS steps (4 STEPS gradients)
#   odeRK4g     ODELoRA RK4   h, STEPS/4 steps (STEPS gradients: the same gradient budget)
# h = $H_POISSON (default 1e-4) on Poisson and $H_HELMHOLTZ (default 3e-5) on
# Helmholtz, for both integrators: the lowest final loss of the 500-step probe
# experiments/transfer/probe_odelora_h.sh (docs/transfer.md).
# The seed changes the adapters' random init only (Sobol points, pretrained base).
# The pretrained models are made when missing (probe_odelora_h.sh makes the same ones).
# Then tools/transfer_seeds.py writes the table with loss spikes and the spread over seeds.
# Usage: experiments/transfer/run_odelora.sh [PINNKIT_BINARY]   (from the repository root)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_odelora
STEPS=${STEPS:-1500}
PROBLEMS=${PROBLEMS:-poisson helmholtz}
H_POISSON=${H_POISSON:-1e-4}
H_HELMHOLTZ=${H_HELMHOLTZ:-3e-5}
mkdir -p "$OUT"
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false
cfg=experiments/transfer

run() {  # name config [--set ...]
  local name=$1 config=$2
  shift 2
  "$PINNKIT" run "$config" --quiet -o "$OUT/$name.h5" "$@" || echo "exit $? $name"
  echo "done $name"
}
export -f run
export PINNKIT OUT

arms() {  # problem seed
  local p=$1 s=$2 base="--seed $2 --set init_from=$OUT/$1_pretrain.h5 --set adapter.type=lora --set adapter.rank=4 --set training.0.steps=$STEPS --set output.history_every=1"
  local h=$H_POISSON
  [ "$p" = helmholtz ] && h=$H_HELMHOLTZ
  local ode="--set adapter.init=balanced_random --set training.0.optimizer=odelora --set training.0.lr=$h"
  echo "${p}_odeRK4_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=rk4"
  echo "${p}_lora_s$s $cfg/${p}_target.yaml $base"
  echo "${p}_loraplus_s$s $cfg/${p}_target.yaml $base --set training.0.group_lr.lora_B=16"
  echo "${p}_scaledgd_s$s $cfg/${p}_target.yaml $base --set training.0.optimizer=scaled_gd --set training.0.lr=1e-4"
  echo "${p}_odeE_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=euler"
  echo "${p}_odeRK4g_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=rk4 --set training.0.steps=$((STEPS / 4))"
}

for p in $PROBLEMS; do [ -f "$OUT/${p}_pretrain.h5" ] || echo "${p}_pretrain $cfg/${p}_pretrain.yaml"; done | xargs -r -P 2 -L 1 bash -c 'run "$@"' _
for s in 1 2 3; do for p in $PROBLEMS; do arms "$p" "$s"; done; done | xargs -P 2 -L 1 bash -c 'run "$@"' _
/usr/bin/python3 tools/transfer_seeds.py "$OUT" --markdown "$OUT/transfer_odelora_table.md" --plot docs/transfer_odelora_curves.png
