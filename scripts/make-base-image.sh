  scripts=/usr/share/debootstrap/scripts
  [ ! -d "$scripts" ] || [ -e "$scripts/$suite" ] || {#!/usr/bin/env bash
# Make sure Debian base images (default `debian:bookworm-slim`) are in the Docker engine: pull
# each from the engine's registry when one answers; only when none does, debootstrap a minimal
# system and import it. Says which it did.
# Usage: scripts/make-base-image.sh [TAG...]   (default debian:bookworm-slim)
#   e.g. scripts/make-base-image.sh debian:trixie-slim debian:sid-slim   (matrix-2026.kdl)
# The release comes from the tag (`debian:trixie-slim` -> trixie, for a runtime's `base-image`);
# BENCH_DEBIAN_SUITE overrides it (one tag only). BENCH_PULL_TIMEOUT (seconds, default 120)
# bounds the pull; BENCH_PULL_TIMEOUT=0 skips it.
# The fallback needs root, debootstrap (apt-get install debootstrap) and a Debian mirror.
# debootstrap checks the Release file's signature but not its Valid-Until date, so a suite
# whose Release has expired on the mirror (sid on a frozen mirror) is made all the same; apt
# in the image then needs `apt-options "Acquire::Check-Valid-Until=false"` (docs/matrix.md).
set -euo pipefail
[ "$#" -gt 0 ] || set -- debian:bookworm-slim
if [ "$#" -gt 1 ] && [ -n "${BENCH_DEBIAN_SUITE:-}" ]; then
  echo "error: BENCH_DEBIAN_SUITE names the suite of one tag; give one tag with it" >&2
  exit 1
fi
mirror="${BENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
pull_timeout="${BENCH_PULL_TIMEOUT:-120}"
# The root file system being made, removed however the script ends.
dir=""
trap '[ -z "$dir" ] || rm -rf "$dir" "$dir.log"' EXIT

make_one() {
  local tag="$1" suite pull_log why
  suite="${BENCH_DEBIAN_SUITE:-${tag#*:}}"
  suite="${suite%-slim}"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "base image $tag already present"
    return 0
  fi
  if [ "$pull_timeout" != 0 ]; then
    echo "pulling $tag (at most ${pull_timeout} s) ..."
    pull_log="$(mktemp /tmp/bench-pull.XXXXXX)"
    if timeout "$pull_timeout" docker pull -q "$tag" >"$pull_log" 2>&1; then
      rm -f "$pull_log"
      echo "pulled $tag from the registry"
      return 0
    fi
    why="$(tail -1 "$pull_log")"
    echo "no registry answered for $tag (${why:-no answer within ${pull_timeout} s}); making it with debootstrap instead"
    rm -f "$pull_log"
  fi
  command -v debootstrap >/dev/null || {
    echo "error: $tag could not be pulled and debootstrap, the fallback, is missing: install it (Debian/Ubuntu: apt-get install -y debootstrap; Fedora: dnf install -y debootstrap), or load the image yourself (docker load / docker import)" >&2
    return 1
  }
  [ "$(id -u)" = 0 ] || { echo "error: debootstrap needs root: run this script as root (sudo)" >&2; return 1; }
  local scripts=/usr/share/debootstrap/scripts
  [ ! -d "$scripts" ] || [ -e "$scripts/$suite" ] || {
    echo "error: this debootstrap does not know the suite \`$suite\` (from $tag): give a Debian suite name (bookworm, trixie, sid, ...) or a newer debootstrap" >&2
    return 1
  }
  dir="$(mktemp -d /tmp/bench-rootfs.XXXXXX)"
  echo "debootstrapping $suite (minbase) into $dir ..."
  if ! debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1; then
    tail -20 "$dir.log" >&2
    return 1
  fi
  # Keep the image small and apt usable, as the official slim image does.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
  tar -C "$dir" -c . | docker import - "$tag" >/dev/null
  rm -rf "$dir" "$dir.log"
  dir=""
  echo "made $tag with debootstrap ($suite from $mirror) and imported it"
}

for tag in "$@"; do
  make_one "$tag"
done
