#!/usr/bin/env bash
# Everything the tests need on a fresh machine, then: formatting and lints, the whole test
# suite (real Docker included), a longer fuzzing of the matrix parser and analyzer, and the
# HTML report rendered in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
# Docker is up now: a Docker test that finds no engine fails instead of skipping.
BENCH_REQUIRE_DOCKER=1 cargo test 2>&1
# The fuzz target runs 24 cases in the suite; here about a minute's worth.
BENCH_FUZZ_CASES=600 cargo test --quiet --test matrix_fuzz 2>&1
scripts/report-screenshot.sh
