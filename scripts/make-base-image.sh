#!/usr/bin/env bash
# Make a Debian base image (default `debian:bookworm-slim`) locally when no registry can be
# reached: debootstrap a minimal system and import it into the Docker engine.
# Usage: scripts/make-base-image.sh [TAG]   (default debian:bookworm-slim)
# The release comes from the tag (`debian:trixie-slim` -> trixie, for a runtime's `base-image`);
# BENCH_DEBIAN_SUITE overrides it.
# Needs root, debootstrap (apt-get install debootstrap) and a running Docker engine.
set -euo pipefail
tag="${1:-debian:bookworm-slim}"
suite="${BENCH_DEBIAN_SUITE:-${tag#*:}}"
suite="${suite%-slim}"
mirror="${BENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag already present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "error: debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
dir="$(mktemp -d /tmp/bench-rootfs.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
echo "debootstrapping $suite (minbase) into $dir ..."
debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -20 "$dir.log" >&2; exit 1; }
# Keep the image small and apt usable, as the official slim image does.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
tar -C "$dir" -c . | docker import - "$tag" >/dev/null
rm -f "$dir.log"
echo "imported $tag"
