#!/usr/bin/env bash
# Sets up everything (scripts/setup.sh), then runs the whole test suite with
# ctest: every module's GoogleTest binary on the default backend at 1 and 2
# threads, plus the end-to-end command-line tests.
#
# PINNKIT_CHECK_HIP=1 also runs scripts/check_hip.sh afterwards: the
# compile-only HIP build (Kokkos + every pinnkit target for an AMD GPU; no
# GPU needed). Off by default: on a fresh cache it needs ~35 min of CPU
# time, over an hour on a loaded 2-core VM (docs/performance.md, "The HIP
# build").
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$repo/build}
bash "$repo/scripts/setup.sh"
cd "$build"
ctest --output-on-failure -j "${PINNKIT_JOBS:-$(nproc)}" "$@"
if [ "${PINNKIT_CHECK_HIP:-0}" = 1 ]; then bash "$repo/scripts/check_hip.sh"; fi
