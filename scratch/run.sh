#!/usr/bin/env bash
# One interleaved run of scratch/xp/why.kdl, the side-by-side variants of
# docs/results/2026-12-02/why.md: 3 executions a cell, seeded order. BENCH: a release build.
set -euo pipefail
cd "$(dirname "$0")/xp"
BENCH=${BENCH:-../../target/release/bench}
"$BENCH" run why.kdl --results ../results --executions 3 --seed 20261202 "$@"
