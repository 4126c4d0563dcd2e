#!/usr/bin/env bash
# A real benchmark end to end on a fresh machine: set up Docker and the base image, build
# bench, measure a few rows of the article's matrix in all four scenarios (3 interleaved executions
# a cell), print the tables with their 95% intervals.
#   scripts/quickstart.sh [--executions 5] [--duration 5s] [more `bench run` options]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --quiet
rows=(--only falcon-gunicorn --only falcon-uvicorn --only aiohttp-gunicorn --only bjoern)
status=0
./target/release/bench run matrix.kdl "${rows[@]}" --executions 3 --duration 3s --warmup 2s --results results/quickstart "$@" || status=$?
./target/release/bench report --results results/quickstart --format markdown
./target/release/bench report --results results/quickstart --format html -o results/quickstart/report.html
echo "HTML report: results/quickstart/report.html"
exit "$status"
