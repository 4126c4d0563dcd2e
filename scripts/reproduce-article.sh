#!/usr/bin/env bash
# The article reproduced: every cell of the shipped matrix.kdl measured (20 s per test, as
# the article), then the report written to docs/results/<date>/ (markdown, HTML, CSV, JSON
# and the raw results). About 1.5 h on a 2-core machine with the images built; leave the
# machine otherwise idle (the host-quiet check flags cells that shared it).
#   scripts/reproduce-article.sh [RESULTS_DIR] [more `bench run` options, e.g. --duration 10s]
# Interrupted? Run the same command again: finished cells are kept and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
results=${1:-results/article}
shift || true
scripts/setup.sh
cargo build --release --quiet
start=$(date +%s)
status=0
./target/release/bench run matrix.kdl --results "$results" "$@" || status=$?
echo "bench run: exit $status after $(( $(date +%s) - start )) s of wall time"
out=docs/results/$(date -u +%Y-%m-%d)
mkdir -p "$out/raw"
./target/release/bench report --results "$results" --format markdown -o "$out/report.md"
./target/release/bench report --results "$results" --format html -o "$out/report.html"
./target/release/bench report --results "$results" --format csv -o "$out/report.csv"
./target/release/bench report --results "$results" --format json -o "$out/report.json"
# The raw results, one JSON file per cell (build logs stay out: they are large).
(cd "$results" && find . -name '*.json' -print0 | tar --null -cf - -T -) | tar -C "$out/raw" -xf -
echo "report: $out/report.md (and .html, .csv, .json; raw results in $out/raw)"
# A failed or invalid cell is part of the findings, not a failure of the reproduction.
[ "$status" -le 1 ]
