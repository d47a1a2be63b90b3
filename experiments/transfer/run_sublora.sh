#!/usr/bin/env bash
# SubLoRA arms of the transfer sweep (docs/transfer.md, "SubLoRA arms"): for
# the problems in $PROBLEMS (default: poisson a = 1 -> 2 and helmholtz
# (1,1,1) -> (1,4,1)), seeds 1 2 3, $STEPS Adam steps (default 1000, lr 2e-3),
# from the pretrained model, at the same final budget of 7 kept singular
# components over the network's four dense layers:
#   sublora, adalora, first_order, magnitude, random:
#       svd_lora rank 8 (R = 2 + 8 + 8 + 1 = 19 components), AdaLoRA's cubic
#       schedule from 19 to 7 with warm-up STEPS/5, final phase STEPS/5 and an
#       allocation every STEPS/20 steps, the named rule choosing; gamma 0.5
#   lora: fixed-rank LoRA rank 2 (2 + 2 + 2 + 1 = 7 components)
# The seed changes the adapters' random init (and the random rule's draws).
# Then tools/sublora_table.py writes the table and the per-layer rank plot.
# Usage: experiments/transfer/run_sublora.sh [PINNKIT_BINARY]   (from the repository root;
# ARMS="sublora lora" runs some arms only)
set -euo pipefail
PINNKIT=${1:-build/pinnkit}
OUT=results/transfer_sublora
STEPS=${STEPS:-1000}
PROBLEMS=${PROBLEMS:-poisson helmholtz}
ARMS=${ARMS:-sublora adalora first_order magnitude random lora}
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
  local p=$1 s=$2 base="--seed $2 --set init_from=$OUT/$1_pretrain.h5 --set training.0.steps=$STEPS"
  local svd="--set adapter.type=svd_lora --set adapter.rank=8 --set adapter.budget.target=7"
  svd="$svd --set adapter.budget.warmup=$((STEPS / 5)) --set adapter.budget.final_steps=$((STEPS / 5))"
  svd="$svd --set adapter.budget.every=$((STEPS / 20))"
  for arm in $ARMS; do
    if [ "$arm" = lora ]; then
      echo "${p}_lora_s$s $cfg/${p}_target.yaml $base --set adapter.type=lora --set adapter.rank=2"
    else
      echo "${p}_${arm}_s$s $cfg/${p}_target.yaml $base $svd --set adapter.selection=$arm"
    fi
  done
}

for p in $PROBLEMS; do
  [ -f "$OUT/${p}_pretrain.h5" ] || echo "${p}_pretrain $cfg/${p}_pretrain.yaml"
done | xargs -r -P 2 -L 1 bash -c 'run "$@"' _
for s in 1 2 3; do for p in $PROBLEMS; do arms "$p" "$s"; done; done | xargs -P 2 -L 1 bash -c 'run "$@"' _
[ -n "${NO_TABLE:-}" ] || /usr/bin/python3 tools/sublora_table.py "$OUT" --markdown "$OUT/transfer_sublora_table.md" --plot docs/transfer_sublora_ranks.png
