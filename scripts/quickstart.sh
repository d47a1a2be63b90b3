#!/usr/bin/env bash
# Sets up everything (scripts/setup.sh), trains the quickstart experiment
# (2-D Poisson, MLP) and prints the summary of its result file.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$repo/build}
bash "$repo/scripts/setup.sh"
cd "$repo"
"$build/pinnkit" run experiments/quickstart.yaml "$@"
"$build/pinnkit" info results/quickstart.h5
