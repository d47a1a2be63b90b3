#!/usr/bin/env bash
# Compile-only check that pinnkit builds for AMD GPUs: Kokkos 3.4.01 with the
# HIP backend (Debian's hipcc 5.2, clang 15) and every pinnkit target against
# it: the libraries, the pinnkit command, the tests and the benchmarks. No
# GPU is needed and nothing is run: it checks that every kernel is device
# code (no host-only calls, no std::memcpy, no host lambdas in kernels).
#
# Installs hipcc and libamdhip64-dev (Debian packages) when run as root and
# they are missing; exits 77 (skipped) when hipcc is missing and cannot be
# installed. The Kokkos source comes from scripts/kokkos_source.sh (the cache
# setup.sh uses); the HIP Kokkos is installed into the cache once.
#
# Environment:
#   PINNKIT_CACHE     cache folder (default ~/.cache/pinnkit)
#   HIP_BUILD_DIR     pinnkit's build folder (default build-hip)
#   PINNKIT_JOBS      parallel build jobs (default: number of cores)
#   PINNKIT_HIP_ARCH  Kokkos architecture option (default VEGA908, MI100:
#                     the newest AMD GPU Kokkos 3.4 knows; no VEGA90A/MI200)
set -euo pipefail

say() { printf '[check_hip] %s\n' "$*" >&2; }
die() { printf '[check_hip] error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PINNKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pinnkit}
build=${HIP_BUILD_DIR:-$repo/build-hip}
jobs=${PINNKIT_JOBS:-$(nproc)}
arch=${PINNKIT_HIP_ARCH:-VEGA908}
kokkos_version=3.4.01
kokkos_prefix=$cache/kokkos-$kokkos_version-hip-$(echo "$arch" | tr '[:upper:]' '[:lower:]')
packages=(hipcc libamdhip64-dev)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}

install_hipcc() {
  if command -v hipcc >/dev/null && [ -f /usr/include/hip/hip_runtime.h ]; then return; fi
  if ! as_root true; then
    say "skipped: hipcc is not installed and this user cannot install it (apt-get install ${packages[*]})"
    exit 77
  fi
  say "installing ${packages[*]} (about 100 MB download, 650 MB installed)"
  as_root apt-get update -qq || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null \
    || die "apt-get install failed for: ${packages[*]}"
}

# hipcc asks rocm_agent_enumerator for the GPUs of this machine when no
# offload arch is given; without a GPU that prints a Python traceback. Kokkos
# passes --offload-arch itself, so the noise is harmless: filtered from logs.
quiet_log() { grep -v -e 'rocm_agent_enumerator' -e '^Traceback' -e '^  File ' -e '^    ' \
                      -e 'FileNotFoundError: .*kfd' "$1" | tail -n 40 >&2; }

build_kokkos() {
  if [ -f "$kokkos_prefix/.complete" ]; then say "Kokkos HIP: cached at $kokkos_prefix"; return; fi
  local src work
  src=$(bash "$repo/scripts/kokkos_source.sh") || die "Kokkos source not available"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  say "Kokkos HIP: building $kokkos_version (HIP $arch + Serial) into $kokkos_prefix"
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=hipcc \
        -DCMAKE_INSTALL_PREFIX="$kokkos_prefix" -DCMAKE_CXX_STANDARD=17 \
        -DKokkos_ENABLE_HIP=ON -DKokkos_ENABLE_SERIAL=ON -DKokkos_ARCH_"$arch"=ON \
        > "$work/configure.log" 2>&1 || { quiet_log "$work/configure.log"; die "Kokkos HIP configure failed"; }
  cmake --build "$work/build" -j "$jobs" > "$work/build.log" 2>&1 \
    || { quiet_log "$work/build.log"; die "Kokkos HIP build failed"; }
  cmake --install "$work/build" > /dev/null || die "Kokkos HIP install failed"
  touch "$kokkos_prefix/.complete"
}

build_pinnkit() {
  mkdir -p "$build"
  say "pinnkit: configuring $build with hipcc (Kokkos from $kokkos_prefix)"
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=hipcc \
        -DKokkos_ROOT="$kokkos_prefix" > "$build/configure.log" 2>&1 \
    || { quiet_log "$build/configure.log"; die "pinnkit HIP configure failed"; }
  say "pinnkit: compiling every target with $jobs jobs (host and $arch device code)"
  cmake --build "$build" -j "$jobs" > "$build/build.log" 2>&1 \
    || { grep -E -A8 'error:' "$build/build.log" | head -n 80 >&2
         die "pinnkit HIP build failed (full log: $build/build.log)"; }
  say "pinnkit: the HIP build compiles and links (compile-only: nothing was run)"
}

start=$(date +%s)
install_hipcc
say "$(hipcc --version 2>/dev/null | grep -E 'HIP version|clang version' | tr '\n' ' ')"
build_kokkos
build_pinnkit
say "done in $(( $(date +%s) - start )) s"
