#!/usr/bin/env bash
# One interleaved run of why/xp/why.kdl, the side-by-side variants of
# docs/results/2026-12-02/why.md: 3 executions a cell, seeded order. BENCH: a release build;
# RESULTS (relative to why/xp) and SEED: run 1 used ../results and 20261202, run 2
# ../results2 and 20261203.
set -euo pipefail
cd "$(dirname "$0")/xp"
BENCH=${BENCH:-../../../../../target/release/bench}
"$BENCH" run why.kdl --results "${RESULTS:-../results}" --executions 3 --seed "${SEED:-20261202}" "$@"
