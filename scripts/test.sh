#!/usr/bin/env bash
# Sets up everything (scripts/setup.sh), then runs the whole test suite with
# ctest: every module's GoogleTest binary on the default backend at 1 and 2
# threads, plus the end-to-end command-line tests.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$repo/build}
bash "$repo/scripts/setup.sh"
cd "$build"
ctest --output-on-failure -j "${PINNKIT_JOBS:-$(nproc)}" "$@"
