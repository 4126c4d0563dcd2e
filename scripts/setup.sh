#!/usr/bin/env bash
# Set up a fresh Debian bookworm machine (root) for bench: Docker engine, base image, and the
# tools the tests and benchmark scripts use (wrk, nginx, chromium). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v chromium >/dev/null || need+=(chromium)
command -v curl >/dev/null || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  # A pid file left by a dockerd that is gone blocks the start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  echo "setup: starting dockerd"
  (nohup dockerd >/var/log/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "setup: dockerd did not start; see /var/log/dockerd.log" >&2; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi

# Containers of bench runs that are gone (killed): `bench sweep` removes only those whose
# owning process provably ended, never another user's live run (the rule lives there).
# Built from this checkout, so the subcommand is there whatever binary was built before;
# only when there is a bench container at all, so a fresh machine does not compile for it.
if [ -n "$(docker ps -aq --filter label=bench=1)" ]; then
  cargo run --quiet -- sweep
fi

# py-spy for `bench profile`: its wheel's static binary, copied into profiled containers.
[ -x /usr/local/bin/py-spy ] || { python3 -m pip install -q --break-system-packages --target /usr/local/lib/py-spy py-spy==0.4.3 && ln -sf /usr/local/lib/py-spy/bin/py-spy /usr/local/bin/py-spy; }

scripts/make-base-image.sh debian:bookworm-slim
echo "setup: ready (docker $(docker version --format '{{.Server.Version}}'))"
