#!/usr/bin/env bash
# Everything the tests need on a fresh machine, then the whole test suite (real Docker included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet
cargo test --release 2>&1
