#!/usr/bin/env bash
# Make sure a Debian base image (default `debian:bookworm-slim`) is in the Docker engine:
# pull it from the engine's registry when one answers; only when none does, debootstrap a
# minimal system and import it. Says which it did.
# Usage: scripts/make-base-image.sh [TAG]   (default debian:bookworm-slim)
# The release comes from the tag (`debian:trixie-slim` -> trixie, for a runtime's `base-image`);
# BENCH_DEBIAN_SUITE overrides it. BENCH_PULL_TIMEOUT (seconds, default 120) bounds the pull;
# BENCH_PULL_TIMEOUT=0 skips it.
# The fallback needs root, debootstrap (apt-get install debootstrap) and a Debian mirror.
set -euo pipefail
tag="${1:-debian:bookworm-slim}"
suite="${BENCH_DEBIAN_SUITE:-${tag#*:}}"
suite="${suite%-slim}"
mirror="${BENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
pull_timeout="${BENCH_PULL_TIMEOUT:-120}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag already present"
  exit 0
fi
if [ "$pull_timeout" != 0 ]; then
  echo "pulling $tag (at most ${pull_timeout} s) ..."
  pull_log="$(mktemp /tmp/bench-pull.XXXXXX)"
  if timeout "$pull_timeout" docker pull -q "$tag" >"$pull_log" 2>&1; then
    rm -f "$pull_log"
    echo "pulled $tag from the registry"
    exit 0
  fi
  why="$(tail -1 "$pull_log")"
  echo "no registry answered for $tag (${why:-no answer within ${pull_timeout} s}); making it with debootstrap instead"
  rm -f "$pull_log"
fi
command -v debootstrap >/dev/null || {
  echo "error: $tag could not be pulled and debootstrap, the fallback, is missing: install it (Debian/Ubuntu: apt-get install -y debootstrap; Fedora: dnf install -y debootstrap), or load the image yourself (docker load / docker import)" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || { echo "error: debootstrap needs root: run this script as root (sudo)" >&2; exit 1; }
dir="$(mktemp -d /tmp/bench-rootfs.XXXXXX)"
trap 'rm -rf "$dir" "$dir.log"' EXIT
echo "debootstrapping $suite (minbase) into $dir ..."
debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -20 "$dir.log" >&2; exit 1; }
# Keep the image small and apt usable, as the official slim image does.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
tar -C "$dir" -c . | docker import - "$tag" >/dev/null
echo "made $tag with debootstrap ($suite from $mirror) and imported it"
