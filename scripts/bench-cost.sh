#!/usr/bin/env bash
# Benchmark (not a test): what N executions a cell cost on this machine, and whether the whole
# article matrix fits its target (at least 3 executions a cell, <= 2 h 30 min wall, >= 70% of
# container time spent measuring). Runs a sample of matrix.kdl, then prints from the stored
# results: wall time, the share of container time measuring (`phases_ms`), executions per
# cell, the share of cells whose req/s 95% interval is within +-5%, and the extrapolation.
#
#   scripts/bench-cost.sh [--all] [--only GLOB]... [--executions N] [--duration D]
#                         [--warmup D] [--seed S] [--results WORKDIR] [--matrix FILE]
#
# Default sample: 3 rows x the 4 scenarios, 3 executions at the matrix's own duration and
# warm-up (about 20 minutes); --all runs the whole matrix.
set -euo pipefail
cd "$(dirname "$0")/.."

only=(); all=false; executions=3; seed=$RANDOM; results=""; matrix=matrix.kdl; settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) all=true; shift; continue ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  esac
  [ $# -ge 2 ] || { echo "bench-cost.sh: $1 is unknown or lacks its value (see --help)" >&2; exit 2; }
  case "$1" in
    --only) only+=("$2") ;;
    --executions) executions="$2" ;;
    --duration|--warmup) settings+=("$1" "$2") ;;
    --seed) seed="$2" ;;
    --results) results="$2" ;;
    --matrix) matrix="$2" ;;
    *) echo "bench-cost.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
$all || [ ${#only[@]} -gt 0 ] || only=(bjoern falcon flask)
bench="${BENCH:-./target/release/bench}"
[ -x "$bench" ] || cargo build --release -q
work="${results:-$(mktemp -d /tmp/bench-cost.XXXXXX)}"; results="$work/results"
mkdir -p "$work"
only_args=(); for o in "${only[@]}"; do only_args+=(--only "$o"); done
"$bench" expand "$matrix" --format json > "$work/matrix.json"

start=$(date +%s)
"$bench" run "$matrix" "${only_args[@]}" "${settings[@]}" --executions "$executions" \
  --seed "$seed" --results "$results"
wall=$(( $(date +%s) - start ))
"$bench" report --results "$results" --format json -o "$work/report.json"
python3 scripts/results-stats.py cost "$results" "$work/report.json" "$wall" \
  "${only[*]:-whole matrix}" "$work/matrix.json" 3
