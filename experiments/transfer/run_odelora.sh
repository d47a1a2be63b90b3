#!/usr/bin/env bash
# ODELoRA arms of the transfer sweep (docs/transfer.md, "ODELoRA arms"):
# for the problems in $PROBLEMS (default: poisson, a = 1 -> 2; helmholtz
# (1,1,1) -> (1,4,1) also works), seeds 1 2 3, $STEPS steps (default 500),
# rank 4 adapters from the pretrained model, the same points for every arm:
#   lora        Adam lr 2e-3, STEPS steps (standard init)
#   loraplus    the same with lr_B = 16 lr_A
#   scaledgd    ScaledGD lr 1e-4, STEPS steps
#   odeE        ODELoRA Euler h = 1e-4, STEPS steps (STEPS gradients), balanced_random init
#   odeRK4      ODELoRA RK4   h = 1e-4, STEPS steps (4 STEPS gradients)
#   odeRK4g     ODELoRA RK4   h = 1e-4, STEPS/4 steps (STEPS gradients: the same gradient budget)
# (h = 1e-4: a 300-step Euler probe on Poisson at 3e-4 ended with a higher loss than at 1e-4.)
# The seed changes the adapters' random init only (Sobol points, pretrained base).
# Then tools/transfer_seeds.py writes the table with loss spikes and the spread over seeds.
# Usage: experiments/transfer/run_odelora.sh [PINNKIT_BINARY]   (from the repository root)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_odelora
STEPS=${STEPS:-500}
PROBLEMS=${PROBLEMS:-poisson}
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
  local p=$1 s=$2 base="--seed $2 --set init_from=$OUT/$1_pretrain.h5 --set adapter.type=lora --set adapter.rank=4 --set training.0.steps=$STEPS"
  local ode="--set adapter.init=balanced_random --set training.0.optimizer=odelora --set training.0.lr=1e-4"
  echo "${p}_lora_s$s $cfg/${p}_target.yaml $base"
  echo "${p}_loraplus_s$s $cfg/${p}_target.yaml $base --set training.0.group_lr.lora_B=16"
  echo "${p}_scaledgd_s$s $cfg/${p}_target.yaml $base --set training.0.optimizer=scaled_gd --set training.0.lr=1e-4"
  echo "${p}_odeE_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=euler"
  echo "${p}_odeRK4_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=rk4"
  echo "${p}_odeRK4g_s$s $cfg/${p}_target.yaml $base $ode --set training.0.integrator=rk4 --set training.0.steps=$((STEPS / 4))"
}

for p in $PROBLEMS; do echo "${p}_pretrain $cfg/${p}_pretrain.yaml"; done | xargs -P 2 -L 1 bash -c 'run "$@"' _
for s in 1 2 3; do for p in $PROBLEMS; do arms "$p" "$s"; done; done | xargs -P 2 -L 1 bash -c 'run "$@"' _
/usr/bin/python3 tools/transfer_seeds.py "$OUT" --markdown "$OUT/transfer_odelora_table.md" --plot docs/transfer_odelora_curves.png
