#!/usr/bin/env bash
# The transfer benchmark of docs/transfer.md ("The transfer benchmark"): for
# every family, its pretraining sweep (the source model) and then its
# fine-tuning sweep (every arm x target x seed), all through `pinnkit sweep`,
# then tools/transfer_bench.py renders docs/transfer.md's tables and plots.
#
# Usage (from the repository root, after building):
#   experiments/transfer_bench/run.sh                  # here: JOBS runs at a time, 1 thread each
#   experiments/transfer_bench/run.sh --slurm [FLAGS]  # a Slurm job array per sweep; each
#       fine-tuning array waits for its pretraining array (--after); FLAGS go to
#       `pinnkit sweep --slurm --submit` (e.g. --partition short --account proj42).
#       Render when they are done: experiments/transfer_bench/run.sh --render
#   experiments/transfer_bench/run.sh --render         # tables and plots only
# Environment: PINNKIT (default build/pinnkit), JOBS (default: cores),
# FAMILIES (default: all, in the order below).
# Re-running resumes: completed runs are kept, interrupted ones continue.
set -euo pipefail
PINNKIT=${PINNKIT:-build/pinnkit}
JOBS=${JOBS:-$(nproc)}
FAMILIES=${FAMILIES:-poisson heat burgers allen_cahn10d poisson_kan heat_kan}
dir=experiments/transfer_bench

render() {
  # shellcheck disable=SC2086
  /usr/bin/python3 tools/transfer_bench.py results/transfer_bench --families $FAMILIES \
    --markdown results/transfer_bench/report.md --doc docs/transfer.md --plots docs
}

case "${1:-}" in
  --render)
    render
    ;;
  --slurm)
    shift
    for f in $FAMILIES; do
      reply=$("$PINNKIT" sweep "$dir/$f/pretrain_sweep.yaml" --slurm --submit "$@")
      echo "$reply"
      job=$(sed -n 's/^submitted job array \([0-9]*\).*/\1/p' <<<"$reply")
      [ -n "$job" ] || { echo "run.sh: no job id in the reply for $f" >&2; exit 1; }
      "$PINNKIT" sweep "$dir/$f/sweep.yaml" --slurm --submit --after "$job" "$@"
    done
    ;;
  "")
    # The pretraining sweeps (one or two runs each) side by side, then each
    # family's fine-tuning sweep with JOBS runs at a time.
    printf '%s\n' $FAMILIES |
      xargs -P "$JOBS" -I{} "$PINNKIT" sweep "$dir/{}/pretrain_sweep.yaml" --local -j 1 --threads 1 --quiet
    for f in $FAMILIES; do
      "$PINNKIT" sweep "$dir/$f/sweep.yaml" --local -j "$JOBS" --threads 1 --quiet
    done
    render
    ;;
  *)
    echo "usage: $0 [--slurm [pinnkit sweep flags] | --render]" >&2
    exit 2
    ;;
esac
