#!/usr/bin/env bash
# Set up a fresh Debian bookworm machine (root) for bench: Docker engine, base image, and the
# tools the tests and benchmark scripts use (wrk, nginx, chromium). Safe to run again. On a
# host without apt-get (Fedora, macOS with Docker Desktop) it installs nothing: it uses the
# engine that is there and says precisely what is missing and what needs it.
# Usage: scripts/setup.sh [BASE_IMAGE...]: the base images to make besides debian:bookworm-slim,
# e.g. `scripts/setup.sh debian:trixie-slim debian:sid-slim` for matrix-2026.kdl.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each tool, the Debian package that has it, and what bench needs it for.
tools=(
  "docker|docker.io|the Docker engine and client: bench runs every server in it"
  "debootstrap|debootstrap|making the base image when no registry answers (scripts/make-base-image.sh)"
  "wrk|wrk|scripts/bench-load-vs-wrk.sh, which compares bench's generator with wrk"
  "nginx|nginx-light|scripts/bench-load-vs-wrk.sh's reference server"
  "chromium|chromium|scripts/report-screenshot.sh"
  "curl|curl|poking a server by hand (bench itself does not need it)"
)
need=()
missing=()
for entry in "${tools[@]}"; do
  IFS='|' read -r tool package why <<<"$entry"
  # BENCH_SETUP_MEASURE_ONLY=1: a machine that only measures skips the test tools (the
  # workflow of `bench export github-actions`: Ubuntu runners have no `chromium` package).
  if [ "${BENCH_SETUP_MEASURE_ONLY:-0}" = 1 ] && [[ "$tool" =~ ^(wrk|nginx|chromium)$ ]]; then
    continue
  fi
  if ! command -v "$tool" >/dev/null; then
    need+=("$package")
    missing+=("$tool ($why)")
  fi
done
# The engine's daemon too, unless an engine already answers (Docker Desktop, a remote
# DOCKER_HOST): then there is nothing to start here.
if command -v docker >/dev/null && ! docker info >/dev/null 2>&1 && ! command -v dockerd >/dev/null; then
  need+=(docker.io)
  missing+=("dockerd (the Docker daemon: no engine answers and none can be started here)")
fi
if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: this host has no apt-get, so nothing is installed for you; missing:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    echo "  install them with the system's own packages (Fedora: dnf install moby-engine debootstrap wrk nginx chromium curl; macOS: Docker Desktop, then brew install wrk nginx curl)" >&2
    if ! command -v docker >/dev/null || ! { docker info >/dev/null 2>&1 || command -v dockerd >/dev/null; }; then
      echo "setup: cannot go on without a Docker engine: install Docker (https://docs.docker.com/engine/install/) and start it" >&2
      exit 1
    fi
    echo "setup: going on with the Docker engine that is there; the tools above are needed only for what they are listed for" >&2
  fi
fi

if ! docker info >/dev/null 2>&1; then
  # A pid file left by a dockerd that is gone blocks the start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  command -v dockerd >/dev/null || { echo "setup: the Docker engine does not answer (DOCKER_HOST=${DOCKER_HOST:-unset}) and there is no dockerd to start: start Docker Desktop or the remote engine, then run this again" >&2; exit 1; }
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
# Only profiling needs it: a machine that only measures skips it, and a failed install is a
# warning, not the end of the set-up.
if [ "${BENCH_SETUP_MEASURE_ONLY:-0}" != 1 ] && [ ! -x /usr/local/bin/py-spy ]; then
  if python3 -m pip install -q --break-system-packages --target /usr/local/lib/py-spy py-spy==0.4.3; then
    ln -sf /usr/local/lib/py-spy/bin/py-spy /usr/local/bin/py-spy
  else
    echo "setup: warning: py-spy could not be installed (needs python3 with pip); bench profile will say so" >&2
  fi
fi

scripts/make-base-image.sh debian:bookworm-slim "$@"
echo "setup: ready (docker $(docker version --format '{{.Server.Version}}'))"
