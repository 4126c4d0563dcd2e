#!/usr/bin/env bash
# Make the base image `debian:bookworm-slim` locally when no registry can be reached:
# debootstrap a minimal bookworm and import it into the Docker engine.
# Usage: scripts/make-base-image.sh [TAG]   (default debian:bookworm-slim)
# Needs root, debootstrap (apt-get install debootstrap) and a running Docker engine.
set -euo pipefail
tag="${1:-debian:bookworm-slim}"
mirror="${BENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag already present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "error: debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
dir="$(mktemp -d /tmp/bench-rootfs.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
echo "debootstrapping bookworm (minbase) into $dir ..."
debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -20 "$dir.log" >&2; exit 1; }
# Keep the image small and apt usable, as the official slim image does.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
tar -C "$dir" -c . | docker import - "$tag" >/dev/null
rm -f "$dir.log"
echo "imported $tag"
