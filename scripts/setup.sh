#!/usr/bin/env bash
# Installs pinnkit's dependencies from Debian packages, bootstraps Kokkos
# 3.4.01 (OpenMP + Serial) from Debian's trilinos source package into a cache
# outside the build tree, and configures + builds pinnkit in build/.
#
# Idempotent: every step checks whether its result is already there.
#
# Environment:
#   PINNKIT_CACHE   where the Kokkos install is cached (default ~/.cache/pinnkit)
#   Kokkos_ROOT     use this Kokkos instead of bootstrapping one
#   BUILD_DIR       build folder (default build)
#   BUILD_TYPE      CMake build type (default Release)
#   PINNKIT_JOBS    parallel build jobs (default: number of cores)
#   PINNKIT_NATIVE  1 (default): build pinnkit for this machine's CPU
#                   (-march=native, about 2x faster steps); 0: portable code.
#                   Kokkos in the cache is always built portable.
#   PINNKIT_SINGLE_PRECISION  1: pinnkit::Real is float (the float32 build);
#                   0 (default): double
#   PINNKIT_BENCHMARKS  1 (default): build the benchmark programs; 0: skip them
set -euo pipefail

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PINNKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pinnkit}
build=${BUILD_DIR:-$repo/build}
build_type=${BUILD_TYPE:-Release}
jobs=${PINNKIT_JOBS:-$(nproc)}
kokkos_version=3.4.01
kokkos_prefix=$cache/kokkos-$kokkos_version-openmp

# Debian packages the build, the tests and the tools need.
packages=(g++ cmake make pkg-config dpkg-dev
          libeigen3-dev libhdf5-dev hdf5-tools libyaml-cpp-dev
          libboost-program-options-dev libboost-dev
          libgtest-dev libgmock-dev libbenchmark-dev
          python3 python3-h5py python3-numpy python3-matplotlib python3-yaml
          slurm-wlm munge    # tests/hpc: a one-node Slurm for `pinnkit sweep --slurm`
          openmpi-bin libopenmpi-dev)  # PINNKIT_MPI: data parallelism, tests under mpirun -np 2

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [ -z "${missing// /}" ]; then say "Debian packages: all present"; return; fi
  say "Debian packages to install: $missing"
  if ! as_root true; then
    die "installing packages needs root. Run as root, or install them first:
    sudo apt-get install -y $missing"
  fi
  as_root apt-get update -qq || die "apt-get update failed"
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    || die "apt-get install failed for: $missing"
}

bootstrap_kokkos() {
  if [ -n "${Kokkos_ROOT:-}" ]; then say "Kokkos: using Kokkos_ROOT=$Kokkos_ROOT"; return; fi
  if [ -f "$kokkos_prefix/.complete" ]; then say "Kokkos: cached at $kokkos_prefix"; return; fi
  local work src
  # The unpacked source stays in the cache (scripts/check_hip.sh builds it too).
  src=$(bash "$repo/scripts/kokkos_source.sh") || die "Kokkos source not available"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  say "Kokkos: building $kokkos_version (OpenMP + Serial) into $kokkos_prefix"
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$kokkos_prefix" -DCMAKE_CXX_STANDARD=17 \
        -DKokkos_ENABLE_OPENMP=ON -DKokkos_ENABLE_SERIAL=ON -DBUILD_SHARED_LIBS=ON \
        > "$work/configure.log" 2>&1 || { tail -n 30 "$work/configure.log" >&2; die "Kokkos configure failed"; }
  cmake --build "$work/build" -j "$jobs" > "$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; die "Kokkos build failed"; }
  cmake --install "$work/build" > /dev/null || die "Kokkos install failed"
  touch "$kokkos_prefix/.complete"
}

build_pinnkit() {
  local root=${Kokkos_ROOT:-$kokkos_prefix} flags="" launcher="" single=OFF bench=ON
  [ "${PINNKIT_NATIVE:-1}" = 1 ] && flags="-march=native"
  [ "${PINNKIT_SINGLE_PRECISION:-0}" = 1 ] && single=ON
  [ "${PINNKIT_BENCHMARKS:-1}" = 1 ] || bench=OFF
  # Rebuilds after a pull or in another build folder are mostly cache hits.
  command -v ccache > /dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  say "pinnkit: configuring $build ($build_type, Kokkos from $root, CXXFLAGS '$flags', single precision $single)"
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE="$build_type" -DKokkos_ROOT="$root" \
        -DCMAKE_CXX_FLAGS="$flags" -DPINNKIT_SINGLE_PRECISION=$single \
        -DPINNKIT_BUILD_BENCHMARKS=$bench $launcher \
        > "$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; die "pinnkit configure failed"; }
  say "pinnkit: building with $jobs jobs"
  cmake --build "$build" -j "$jobs" || die "pinnkit build failed"
  say "pinnkit: binary at $build/pinnkit"
}

install_packages
bootstrap_kokkos
mkdir -p "$build"
build_pinnkit
