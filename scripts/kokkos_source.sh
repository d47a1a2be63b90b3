#!/usr/bin/env bash
# Prints the path of Kokkos 3.4.01's source, unpacked from Debian's trilinos
# 13.2.0 source package into $PINNKIT_CACHE/src/kokkos-3.4.01, fetching it
# (apt-get source, deb-src entries added when missing) only when the cache
# lacks it. Used by scripts/setup.sh (OpenMP build) and scripts/check_hip.sh
# (HIP build), so the 166 MB source package is downloaded once.
#
# Environment: PINNKIT_CACHE (default ~/.cache/pinnkit).
set -euo pipefail

say() { printf '[kokkos-source] %s\n' "$*" >&2; }
die() { printf '[kokkos-source] error: %s\n' "$*" >&2; exit 1; }

cache=${PINNKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pinnkit}
kokkos_version=3.4.01
trilinos_version=13.2.0
dest=$cache/src/kokkos-$kokkos_version

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}

# deb-src entries for the configured Debian suites, copied from their deb
# entries so that no host name lives in this repository.
enable_deb_src() {
  local codename src=/etc/apt/sources.list.d/pinnkit-deb-src
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "cannot read the Debian codename from /etc/os-release"
  if apt-cache showsrc trilinos 2>/dev/null | grep -q "^Version: $trilinos_version"; then
    say "deb-src: trilinos $trilinos_version source is already visible"; return
  fi
  as_root true || die "enabling deb-src needs root; or build Kokkos yourself and pass Kokkos_ROOT=/path"
  say "deb-src: adding entries for the '$codename' suites"
  local f tmp
  tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] && [ "$f" != "$src.sources" ] || continue
    awk -v c="$codename" 'BEGIN { RS = ""; ORS = "\n\n" }
      $0 ~ /(^|\n)Types:[^\n]*deb/ && $0 ~ ("(^|\n)Suites:[^\n]*" c) {
        sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print }' "$f"
  done > "$tmp"
  [ -s "$tmp" ] && as_root install -m 644 "$tmp" "$src.sources"
  : > "$tmp"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    grep -E "^deb [^#]*[[:space:]]$codename" "$f" | sed 's/^deb /deb-src /' >> "$tmp" || true
  done
  [ -s "$tmp" ] && as_root install -m 644 "$tmp" "$src.list"
  rm -f "$tmp"
  as_root apt-get update -qq || die "apt-get update failed after enabling deb-src"
}

if [ -f "$dest/.complete" ]; then
  say "cached at $dest"
  echo "$dest"
  exit 0
fi

enable_deb_src
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "fetching Debian's trilinos $trilinos_version source"
(cd "$work" && apt-get source --download-only -qq "trilinos=$trilinos_version-*" >/dev/null 2>&1 \
    || apt-get source --download-only -qq trilinos >/dev/null 2>&1) \
  || die "apt-get source trilinos failed (is deb-src enabled?)"
tarball=$(ls "$work"/trilinos_"$trilinos_version".orig.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || die "trilinos $trilinos_version orig tarball not found; apt offered: $(ls "$work")"
say "unpacking packages/kokkos into $dest"
tar -xf "$tarball" -C "$work" --wildcards '*/packages/kokkos/*'
src=$(ls -d "$work"/*/packages/kokkos)
grep -q "Kokkos_VERSION_MINOR 4" "$src/CMakeLists.txt" || die "unexpected Kokkos version in $src"
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$src" "$dest"
touch "$dest/.complete"
echo "$dest"
