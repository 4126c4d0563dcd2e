#!/usr/bin/env bash
# The article reproduced: every cell of the shipped matrix.kdl measured (20 s per test, as
# the article), then the report written to docs/results/<date>/ (markdown, HTML, CSV
# and the raw results). About 1.5 h on a 2-core machine with the images built; leave the
# machine otherwise idle (the host-quiet check flags cells that shared it).
#   [OUT=DIR] scripts/reproduce-article.sh [RESULTS_DIR] [more `bench run` options, e.g. --duration 10s]
# Interrupted? Run the same command again: finished cells are kept and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
results=results/article
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    results=$1
    shift
fi
scripts/setup.sh
cargo build --release --quiet
start=$(date +%s)
status=0
./target/release/bench run matrix.kdl --results "$results" "$@" || status=$?
echo "bench run: exit $status after $(( $(date +%s) - start )) s of wall time"
out=${OUT:-docs/results/$(date -u +%Y-%m-%d)}
mkdir -p "$out/raw"
./target/release/bench report --results "$results" --format markdown -o "$out/report.md"
./target/release/bench report --results "$results" --format html -o "$out/report.html"
./target/release/bench report --results "$results" --format csv -o "$out/report.csv"
# The raw results, one JSON file per cell (build logs stay out: they are large).
(cd "$results" && find . -name '*.json' -print0 | tar --null -cf - -T -) | tar -C "$out/raw" -xf -
echo "report: $out/report.md (and .html, .csv; the raw JSON results in $out/raw)"
# A failed or invalid cell is part of the findings, not a failure of the reproduction.
[ "$status" -le 1 ]
