#!/usr/bin/env bash
# Everything the tests need on a fresh machine, then the whole test suite (real Docker
# included), then the HTML report rendered in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Docker is up now: a Docker test that finds no engine fails instead of skipping.
BENCH_REQUIRE_DOCKER=1 cargo test 2>&1
scripts/report-screenshot.sh
