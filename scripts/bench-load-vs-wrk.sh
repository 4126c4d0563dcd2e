#!/usr/bin/env bash
# Runs wrk and `bench load` (release build; its default lean client and, as a reference,
# `--client hyper`) side by side against the same servers on loopback and prints how they
# compare. A benchmark, not a test: the figures depend on the
# machine and on what else runs on it (run it on an otherwise idle machine).
#
# 1. Throughput: nginx (one worker, `return 200 "Hello World"`, pinned to CPU $SERVER_CPU),
#    both generators pinned to CPU $GEN_CPU with the same -t/-c/-d, $ROUNDS alternating
#    rounds. Prints requests/s of each, the ratio bench/wrk, and requests per generator
#    CPU-second (process user+sys CPU from /usr/bin/time, for both; bench's own
#    thread-CPU figure too). Target: bench >= wrk on both.
# 2. Latency agreement: a Python asyncio server answering after 10 ms; mean and p99 of
#    bench and wrk, and their ratio (target: within 10%).
#
# Settings (environment): ROUNDS=3 SECONDS_PER_RUN=5 THREADS=1 CONNECTIONS=50
#   DELAY_CONNECTIONS=20 GEN_CPU=0 SERVER_CPU=1
#   BENCH=/path/to/bench  measure that binary (e.g. a saved older build) instead of building
#                         this checkout's release binary
# Needs: wrk, nginx (nginx-light), python3, taskset, /usr/bin/time, cargo.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-50}
DELAY_CONNECTIONS=${DELAY_CONNECTIONS:-20}
GEN_CPU=${GEN_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}

for tool in wrk nginx python3 taskset /usr/bin/time cargo; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed (needed by this benchmark)" >&2; exit 1; }
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-load-vs-wrk.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 100); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "error: nothing answers on 127.0.0.1:$1 (see $WORK)" >&2; exit 1
}

if [[ -n "${BENCH:-}" ]]; then
    [[ -x "$BENCH" ]] || { echo "error: BENCH=$BENCH is not an executable file" >&2; exit 1; }
else
    echo "building bench (release)..." >&2
    (cd "$ROOT" && cargo build --release --quiet)
    BENCH="${CARGO_TARGET_DIR:-$ROOT/target}/release/bench"
fi
echo "bench binary: $BENCH" >&2

# --- servers -------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK;
    uwsgi_temp_path $WORK; scgi_temp_path $WORK;
    keepalive_requests 100000000;
    server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "Hello World"; } }
}
EOF
taskset -c "$SERVER_CPU" nginx -p "$WORK" -c "$WORK/nginx.conf" &
PIDS+=($!)

DELAY_PORT=$(free_port)
cat > "$WORK/delay_server.py" <<'EOF'
import asyncio, sys
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nHello World"
class Delayed(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        loop = asyncio.get_running_loop()
        while b"\r\n\r\n" in self.buffer:
            _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            loop.call_later(0.010, self.answer)
    def answer(self):
        if not self.transport.is_closing():
            self.transport.write(RESPONSE)
async def main(port):
    server = await asyncio.get_running_loop().create_server(Delayed, "127.0.0.1", port, backlog=1024)
    await server.serve_forever()
asyncio.run(main(int(sys.argv[1])))
EOF
taskset -c "$SERVER_CPU" python3 "$WORK/delay_server.py" "$DELAY_PORT" &
PIDS+=($!)
wait_port "$NGINX_PORT"
wait_port "$DELAY_PORT"

# wrk prints exact figures through a Lua `done` hook: requests, duration_us, bytes,
# mean_us, p99_us, errors.
cat > "$WORK/stats.lua" <<'EOF'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("WRKSTATS %d %d %d %.3f %d %d\n", summary.requests, summary.duration,
        summary.bytes, latency.mean, latency:percentile(99),
        e.connect + e.read + e.write + e.timeout + e.status))
end
EOF

# One run of a generator: prints "requests duration_us mean_us p99_us errors cpu_s self_cpu_s".
run_wrk() { # url connections
    taskset -c "$GEN_CPU" /usr/bin/time -f "%U %S" -o "$WORK/time" \
        wrk -t"$THREADS" -c"$2" -d"${SECONDS_PER_RUN}s" -s "$WORK/stats.lua" "$1" > "$WORK/wrk.out"
    local cpu; cpu=$(awk '{print $1 + $2}' "$WORK/time")
    awk -v cpu="$cpu" '/^WRKSTATS/ {print $2, $3, $5, $6, $7, cpu, cpu}' "$WORK/wrk.out"
}
run_bench() { # url connections [client]
    taskset -c "$GEN_CPU" /usr/bin/time -f "%U %S" -o "$WORK/time" \
        "$BENCH" load "$1" -t "$THREADS" -c "$2" -d "${SECONDS_PER_RUN}s" --client "${3:-lean}" --json > "$WORK/bench.json"
    local cpu; cpu=$(awk '{print $1 + $2}' "$WORK/time")
    python3 - "$WORK/bench.json" "$cpu" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
e = s["errors"]
print(s["requests"], s["duration_us"], s["latency"]["mean_us"], s["latency"]["p99_us"],
      sum(e.values()), sys.argv[2], s["generator_cpu_us"] / 1e6)
EOF
}
run_hyper() { run_bench "$1" "$2" hyper; }
# Round r runs the generators in this order rotated by r, so none is always first.
order_of_round() {
    local tools=(wrk bench hyper) r=$(( $1 % 3 ))
    echo "${tools[@]:r} ${tools[@]:0:r}"
}

# --- 1. throughput -------------------------------------------------------------------------
echo "== throughput: nginx on CPU $SERVER_CPU, generators on CPU $GEN_CPU," \
     "-t $THREADS -c $CONNECTIONS -d ${SECONDS_PER_RUN}s, $ROUNDS alternating rounds"
: > "$WORK/throughput"
for round in $(seq "$ROUNDS"); do
    for tool in $(order_of_round "$round"); do
        line=$("run_$tool" "http://127.0.0.1:$NGINX_PORT/" "$CONNECTIONS")
        echo "$tool $line" >> "$WORK/throughput"
        echo "$round $tool $line" | awk '{printf "  round %d %-5s %10.0f requests/s  %8.0f requests/CPU-s  errors %d\n", $1, $2, $3 / ($4 / 1e6), $3 / $8, $7}'
    done
done
awk '
    { req[$1] += $2; dur[$1] += $3; cpu[$1] += $7; self[$1] += $8; err[$1] += $6 }
    END {
        for (t in req) { rps[t] = req[t] / (dur[t] / 1e6); per[t] = req[t] / cpu[t] }
        printf "  wrk:   %10.0f requests/s, %.2f CPU-s, %8.0f requests per CPU-second, errors %d\n", rps["wrk"], cpu["wrk"], per["wrk"], err["wrk"]
        k = split("bench hyper", ours)
        for (i = 1; i <= k; i++) {
            t = ours[i]
            printf "  %-6s %10.0f requests/s, %.2f CPU-s, %8.0f requests per CPU-second (own threads: %.2f CPU-s, %.0f per CPU-second), errors %d\n", t ":", rps[t], cpu[t], per[t], self[t], req[t] / self[t], err[t]
        }
        printf "  ratio bench/wrk: requests/s %.3f, requests per CPU-second %.3f  (target >= 1 on both)\n", rps["bench"] / rps["wrk"], per["bench"] / per["wrk"]
        printf "  ratio bench --client hyper/wrk: requests/s %.3f, requests per CPU-second %.3f  (the reference client)\n", rps["hyper"] / rps["wrk"], per["hyper"] / per["wrk"]
    }' "$WORK/throughput"

# --- 2. latency agreement ------------------------------------------------------------------
echo "== latency: Python asyncio server answering after 10 ms on CPU $SERVER_CPU," \
     "-t $THREADS -c $DELAY_CONNECTIONS -d ${SECONDS_PER_RUN}s, $ROUNDS alternating rounds"
: > "$WORK/latency"
for round in $(seq "$ROUNDS"); do
    for tool in $(order_of_round "$round"); do
        line=$("run_$tool" "http://127.0.0.1:$DELAY_PORT/" "$DELAY_CONNECTIONS")
        echo "$tool $line" >> "$WORK/latency"
        echo "$round $tool $line" | awk '{printf "  round %d %-5s mean %8.0f us  p99 %8.0f us  %7.0f requests/s  errors %d\n", $1, $2, $5, $6, $3 / ($4 / 1e6), $7}'
    done
done
awk '
    { mean[$1] += $4 * $2; n[$1] += $2; if ($5 > p99[$1]) p99[$1] = $5; p99sum[$1] += $5; runs[$1]++ }
    END {
        for (t in n) { m[t] = mean[t] / n[t]; p[t] = p99sum[t] / runs[t] }
        printf "  wrk:   mean %.0f us, p99 %.0f us (average of rounds)\n", m["wrk"], p["wrk"]
        k = split("bench hyper", ours)
        for (i = 1; i <= k; i++) printf "  %-6s mean %.0f us, p99 %.0f us\n", ours[i] ":", m[ours[i]], p[ours[i]]
        for (i = 1; i <= k; i++) {
            t = ours[i]
            dm = (m[t] / m["wrk"] - 1) * 100; dp = (p[t] / p["wrk"] - 1) * 100
            printf "  %s vs wrk: mean %+.1f%%, p99 %+.1f%%  (%s)\n", t == "bench" ? "bench" : "bench --client hyper", dm, dp,
                (dm < 10 && dm > -10 && dp < 10 && dp > -10) ? "agree within 10%" : "DIFFER by more than 10%"
        }
    }' "$WORK/latency"
