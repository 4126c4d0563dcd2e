#!/usr/bin/env bash
# Benchmark (not a test): expand a generated matrix of 10,000+ cells and print the time.
# Target: under 200 ms on the project's 2-core machine.
#   scripts/bench-expand.sh [FRAMEWORKS] [SERVERS]     (default 50 x 50 x 2 runtimes x 2 scenarios)
set -euo pipefail
cd "$(dirname "$0")/.."
frameworks="${1:-50}"; servers="${2:-50}"
cargo build --release -q
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
{
  echo 'runtime cpython label="" { python "python3"; }'
  echo 'runtime pypy { python "pypy3"; }'
  echo 'scenario hello { path "/hello"; }'
  echo 'scenario io { path "/io"; connections 300; }'
  for s in $(seq 1 "$servers"); do
    echo "server s$s { packages \"server$s==1.0\"; command \"srv$s --port \$PORT {args} {app}\"; interface wsgi args=\"--fast\"; }"
  done
  for f in $(seq 1 "$frameworks"); do
    echo "framework f$f { packages \"framework$f==2.0\"; interface wsgi \"app$f:app\"; }"
  done
  printf 'matrix {\n  axes {\n    framework'; for f in $(seq 1 "$frameworks"); do printf ' f%s' "$f"; done
  printf '\n    server'; for s in $(seq 1 "$servers"); do printf ' s%s' "$s"; done
  printf '\n    runtime cpython pypy\n  }\n  override runtime=pypy { warmup "15s"; }\n}\n'
} > "$dir/matrix.kdl"
cells=$(./target/release/bench expand "$dir/matrix.kdl" --format json | grep -c '"hash"')
times=()
for i in 1 2 3 4 5; do
  start=$(date +%s%N)
  ./target/release/bench expand "$dir/matrix.kdl" --format names > /dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "expanded $cells cells; wall times (ms, 5 runs, whole process): $sorted; median ${median} ms (target < 200 ms)"
