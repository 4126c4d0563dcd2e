#!/usr/bin/env bash
# Benchmark (not a test): the noise floor of `bench compare` on this machine (A/A).
# The same cells are measured as two runs, A and B, and `bench compare A B` is asked for
# differences: every verdict other than "no difference" is a false positive. Prints a markdown
# block: the false-positive rate with its 95% (Wilson) interval, and the typical interval
# half-width of requests/s, latency p50 and p99 (median and range over cells).
#
#   scripts/noise-floor.sh [--only GLOB]... [--executions N] [--duration D] [--warmup D]
#                          [--seed S] [--results DIR] [--matrix FILE] [--quiet-wait D]
#
# Defaults (4 fast rows x hello and json, 3 executions a side of 5 s after a 2 s warm-up)
# take about 10 minutes once the images are built. Like the publication script, each
# execution first waits up to --quiet-wait (60s) for a quiet host (docs/statistics.md).
#
# How A and B are interleaved: ONE `bench run` with 2N executions per cell, split afterwards.
# The run's seeded schedule orders executions in rounds (each cell once per round, random
# order), so execution k of every cell sits in round k. Each cell's executions are paired
# (1,2), (3,4), ... and a coin seeded by --seed sends one of each pair to A, the other to B:
# A and B alternate round by round over the same stretch of machine time, with no side
# systematically earlier, and the images are built once. Two separate runs one after the
# other would instead put any slow spell of this shared VM on one side only, which is a real
# difference between the runs, not the noise floor of a comparison made as bench prescribes.
set -euo pipefail
cd "$(dirname "$0")/.."

only=(); executions=3; duration=5s; warmup=2s; seed=$RANDOM; results=""; matrix=matrix.kdl
quiet_wait=60s
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=("$2"); shift 2 ;;
    --executions) executions="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    --matrix) matrix="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "noise-floor.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#only[@]} -gt 0 ] || only=(bjoern fastwsgi falcon-bjoern flask-bjoern hello json)
bench="${BENCH:-./target/release/bench}"
[ -x "$bench" ] || cargo build --release -q
results="${results:-$(mktemp -d /tmp/noise-floor.XXXXXX)}"
only_args=(); for o in "${only[@]}"; do only_args+=(--only "$o"); done

start=$(date +%s)
"$bench" run "$matrix" "${only_args[@]}" --executions $((2 * executions)) --seed "$seed" \
  --duration "$duration" --warmup "$warmup" --quiet-wait "$quiet_wait" --results "$results/all"
wall=$(( $(date +%s) - start ))

python3 scripts/results-stats.py split "$results/all" "$results/a" "$results/b" "$seed"
"$bench" compare "$results/a" "$results/b" --format json -o "$results/compare.json"
for side in a b; do
  "$bench" report --results "$results/$side" --format json -o "$results/$side.json"
done
python3 scripts/results-stats.py noise-floor "$results" "$executions" "$duration" \
  "$warmup" "$seed" "$wall" "${only[*]}"
