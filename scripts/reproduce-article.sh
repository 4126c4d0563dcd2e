#!/usr/bin/env bash
# The article reproduced: every cell of the shipped matrix.kdl measured, then the report
# written to docs/results/<date>/ (markdown, HTML, CSV and the raw results). Leave the machine
# otherwise idle (the host-quiet check flags cells that shared it).
#
#   [OUT=DIR] scripts/reproduce-article.sh [--matrix FILE] [--results DIR] [--scenario S]...
#                                          [--commit-every MINUTES] [bench run options...]
#
# --matrix FILE  the matrix to measure (default matrix.kdl, the article's; matrix-2026.kdl is
#                the 2026 edition)
# --scenario S   measure scenario S's table as one run (its cells interleaved with each other),
#                the tables one after the other in the order given: a table is a comparison
#                group, measured whole on one machine even when the run spans sessions.
#                Without it, one run interleaves every cell of the matrix.
# --commit-every copy the raw results into OUT/raw and commit them every MINUTES while
#                measuring, and the reports at the end: a run longer than a session goes on
#                in the next one (same command, same OUT; finished executions are skipped).
# Other options go to `bench run` (e.g. --executions 3 --duration 10s --seed 7); unless
# given, --quiet-wait 60s: each execution waits for a quiet host first, and --remeasure 3: an
# execution a burst hit anyway is re-measured, at most 3 a cell (docs/statistics.md).
# Interrupted? Run the same command again: finished executions are kept and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
results=results/article
matrix=matrix.kdl
scenarios=()
commit_every=0
run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --results) results="$2"; shift 2 ;;
    --matrix) matrix="$2"; shift 2 ;;
    --scenario) scenarios+=("$2"); shift 2 ;;
    --commit-every) commit_every="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) run_args+=("$1"); shift ;;
  esac
done
[[ " ${run_args[*]} " =~ \ --quiet-wait[=\ ] ]] || run_args+=(--quiet-wait 60s)
[[ " ${run_args[*]} " =~ \ --remeasure[=\ ] ]] || run_args+=(--remeasure 3)
# A run that spans sessions must find its results again: the date it started, not today's.
if [ "$commit_every" -gt 0 ] && [ -z "${OUT:-}" ]; then
  echo "reproduce-article.sh: --commit-every needs OUT=docs/results/<date it started> (a resumed run must find its raw results)" >&2
  exit 2
fi
out=${OUT:-docs/results/$(date -u +%Y-%m-%d)}
mkdir -p "$out/raw"

# The raw results, one JSON file per execution (build logs stay out: they are large).
sync_raw() {
  [ -d "$results" ] || return 0
  (cd "$results" && find . -name '*.json' -print0 | tar --null -cf - -T -) | tar -C "$out/raw" -xf -
}
# A run resumed on a fresh machine: what earlier sessions committed is where bench looks.
seed_from_raw() {
  mkdir -p "$results"
  (cd "$out/raw" && find . -name '*.json' -print0 | tar --null -cf - -T -) |
    tar -C "$results" --skip-old-files -xf -
}
commit() {
  git add -- "$out" && git commit -q -m "$1" -- "$out" || true
}
# Commits soon after an execution's result lands (at most every MINUTES), while the next
# execution starts, warms up and settles, rather than inside its measured window, where a
# committer on a plain timer landed (host-quiet: "other processes"). A slow poll: each one walks
# the results directory.
committer() {
  local last seen now count
  last=$(date +%s)
  seen=$(find "$results" -name '*.json' 2>/dev/null | wc -l)
  while sleep 2; do
    count=$(find "$results" -name '*.json' 2>/dev/null | wc -l)
    now=$(date +%s)
    if [ "$count" -ne "$seen" ] && [ $((now - last)) -ge $((commit_every * 60)) ]; then
      sync_raw
      commit "results: $out raw results so far ($(find "$out/raw" -name '*.json' | wc -l) files), measurement under way"
      last=$now
    fi
    seen=$count
  done
}

cargo build --release --quiet
# Docker, and every base image the matrix's cells name (the 2026 edition's suites too).
# shellcheck disable=SC2046
scripts/setup.sh $(./target/release/bench expand "$matrix" --format json |
  grep -o '"base_image": *"[^"]*"' | cut -d'"' -f4 | sort -u)
seed_from_raw
if [ "$commit_every" -gt 0 ]; then
  committer &
  committer_pid=$!
  trap 'kill $committer_pid 2>/dev/null || true' EXIT
fi
# The periodic committer stops before the last commit, so the two never meet on git's lock.
stop_committer() {
  [ -z "${committer_pid:-}" ] || { kill "$committer_pid" 2>/dev/null || true; wait "$committer_pid" 2>/dev/null || true; }
}
start=$(date +%s)
status=0
if [ ${#scenarios[@]} -eq 0 ]; then
  ./target/release/bench run "$matrix" --results "$results" "${run_args[@]}" || status=$?
else
  for s in "${scenarios[@]}"; do
    s_status=0
    ./target/release/bench run "$matrix" --only "$s" --results "$results" "${run_args[@]}" || s_status=$?
    echo "bench run --only $s: exit $s_status"
    [ "$s_status" -le "$status" ] || status=$s_status
    # Stopped by a signal or lost engine: the next tables would not be measured as asked.
    [ "$s_status" -le 1 ] || break
  done
fi
echo "bench run: exit $status after $(( $(date +%s) - start )) s of wall time"
stop_committer
sync_raw
if [ "$status" -gt 1 ]; then
  # Stopped (a signal, a lost engine): keep what was measured, render nothing as final.
  [ "$commit_every" -eq 0 ] || commit "results: $out raw results so far, bench run stopped (exit $status); run the same command to resume"
  exit "$status"
fi
# A report that cannot be rendered (say, a table measured on two machines across sessions:
# `bench report` refuses to rank it) leaves the raw results committed and says why.
for format in markdown html csv json; do
  ext=${format/markdown/md}
  if ! ./target/release/bench report --results "$results" --format "$format" -o "$out/report.$ext"; then
    [ "$commit_every" -eq 0 ] || commit "results: $out measured (bench run exit $status); bench report --format $format failed, raw results kept"
    exit 1
  fi
done
echo "report: $out/report.md (and .html, .csv, .json; the raw JSON results in $out/raw)"
if [ "$commit_every" -gt 0 ]; then
  commit "results: $out measured (bench run exit $status), reports rendered"
fi
# A failed or invalid cell is part of the findings, not a failure of the reproduction.
[ "$status" -le 1 ]
