#!/usr/bin/env bash
# Build one article row's image from the context `src/image` packs and smoke-test it:
# run it (--network host, 1 CPU, 512 MB), GET /hello /json /cpu /io, check status, content
# type and body, remove the container. Dev script of the image stage.
# Usage: scripts/try-row.sh ROW [PORT]     e.g. scripts/try-row.sh falcon-gunicorn
# Env: TRY_BUILD_TIMEOUT (s, default 1800: a Nuitka flask build took 548 s, one 900+ s under load),
#      BENCH_CA_BUNDLE (default /etc/ssl/certs/ca-certificates.crt when it exists),
#      TRY_LOG_DIR (default /tmp/try-row), TRY_RESULTS (TSV appended: row, build s, result, reason).
set -uo pipefail
row="${1:?usage: scripts/try-row.sh ROW [PORT]}"
port="${2:-18${RANDOM:0:3}}"
root="$(cd "$(dirname "$0")/.." && pwd)"
logs="${TRY_LOG_DIR:-/tmp/try-row}"
results="${TRY_RESULTS:-$logs/results.tsv}"
mkdir -p "$logs"
ca="${BENCH_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
[ -f "$ca" ] || ca=""
tag="bench-try/$row:latest"
ctx="$logs/$row.tar"

record() { printf '%s\t%s\t%s\t%s\n' "$row" "$1" "$2" "$3" >> "$results"; echo "$row: $2 ($1 s build) $3"; }

(cd "$root" && BENCH_ROW="$row" BENCH_CONTEXT_OUT="$ctx" BENCH_CA_BUNDLE="$ca" \
  cargo test -q --test image_context_dump -- --ignored >"$logs/$row.context.log" 2>&1) \
  || { record "-" FAIL "context: $(tail -n 3 "$logs/$row.context.log" | tr '\n' ' ')"; exit 1; }

start=$(date +%s)
# Bounded: a stalled download must not hold the whole batch.
timeout "${TRY_BUILD_TIMEOUT:-1800}" env DOCKER_BUILDKIT=0 docker build -t "$tag" - < "$ctx" > "$logs/$row.build.log" 2>&1
rc=$?
build_s=$(( $(date +%s) - start ))
if [ $rc -ne 0 ]; then
  record "$build_s" FAIL "build: $(grep -E 'error|Error|ERROR' "$logs/$row.build.log" | tail -n 3 | tr '\n' ' ')"
  exit 1
fi

name="try-$row-$$"
timeout 60 docker run --rm -d --name "$name" --network host --cpus 1 --memory 512m -e PORT="$port" "$tag" > /dev/null \
  || { record "$build_s" FAIL "docker run failed"; exit 1; }
cleanup() { docker logs "$name" > "$logs/$row.server.log" 2>&1; docker rm -f "$name" > /dev/null 2>&1; }
trap cleanup EXIT

# Wait up to 30 s for the port.
for _ in $(seq 1 60); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/hello" && break
  sleep 0.5
done

fail=""
check() { # path, content-type prefix, body kind
  local path=$1 ctype=$2 kind=$3 out code ct
  out=$(curl -s -o "$logs/$row.body" -w '%{http_code}|%{content_type}|%{time_total}' --max-time 10 "http://127.0.0.1:$port/$path")
  code=${out%%|*}; ct=$(echo "$out" | cut -d'|' -f2); t=${out##*|}
  local body_ok=1
  if [ "$kind" = text ]; then
    [ "$(cat "$logs/$row.body")" = "Hello World" ] || body_ok=0
  else
    python3 -c 'import json,sys; d=open(sys.argv[1],"rb").read(); json.loads(d); assert len(d) > 5000' "$logs/$row.body" 2>/dev/null || body_ok=0
  fi
  echo "  /$path $code $ct ${t}s body_ok=$body_ok"
  [ "$code" = 200 ] || fail="$fail /$path status $code;"
  case "$ct" in "$ctype"*) ;; *) fail="$fail /$path type '$ct';" ;; esac
  [ $body_ok = 1 ] || fail="$fail /$path body;"
}
check hello text/plain text
check json application/json json
check cpu text/plain text
check io text/plain text
if [ -z "$fail" ]; then record "$build_s" PASS ""; else record "$build_s" FAIL "$fail"; exit 1; fi
