"""Code shared by every benchmark app: the JSON payload, the CPU work, host/port and app loading.

Scenarios (identical for every framework):
  GET /hello  -> "Hello World", text/plain
  GET /json   -> PAYLOAD (loaded once at start-up) serialized on every request, application/json
  GET /cpu    -> cpu_work() (fixed pure-Python integer work), then "Hello World", text/plain
  GET /io     -> sleep IO_SECONDS the way the concurrency model sleeps, then "Hello World", text/plain
"""

import importlib
import json
import os

HELLO = "Hello World"
HELLO_BYTES = HELLO.encode()

# 100 ms of simulated I/O wait.
IO_SECONDS = 0.1

# The payload file lives next to this module; BENCH_PAYLOAD overrides the path (the images set
# it, so a Nuitka-compiled program, whose modules live in its .dist folder, finds the file too).
PAYLOAD_PATH = os.environ.get("BENCH_PAYLOAD") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "payload.json")

with open(PAYLOAD_PATH, encoding="utf-8") as _f:
    # Python objects (dicts, lists, str, int, float, bool), serialized again on every /json request.
    PAYLOAD = json.load(_f)

# Iterations of cpu_work(), tuned so one call takes 90-100 ms on CPython 3.11.
# Measured with `python -m common.measure_cpu` in a CPython image (Debian's CPython 3.11.2,
# docker --cpus 1 --cpuset-cpus 1) on the project's 2-core machine with nothing else running
# (load average 0.9), 2026-11-27 07:41 UTC: 850,000 iterations took min 48.7, p10 51.0,
# p50 52.6, p90 56.0 ms over 30 rounds, about 62 ns an iteration. 1,550,000 iterations put
# the p50 at about 96 ms, inside the article's 90-100 ms. (Earlier readings of 105-115 ms for
# 850,000 were taken while other builds shared the machine: one core's speed swings about 2x
# with the neighbours' load, so retune only on a quiet machine.)
CPU_ITERATIONS = 1_550_000


def cpu_work(iterations=CPU_ITERATIONS):
    """Pure-Python integer arithmetic in a loop: no I/O, no C helpers, so a JIT (PyPy) or a
    compiler can speed it up, while CPython interprets every bytecode. Returns the checksum
    so that the work cannot be optimised away."""
    total = 0
    for i in range(iterations):
        total = (total * 31 + i * i) % 1000003
    return total


def host():
    """Address the servers bind to: loopback only (BENCH_HOST overrides, for tests)."""
    return os.environ.get("BENCH_HOST", "127.0.0.1")


def port():
    """Port from env PORT (required: the runner picks it)."""
    value = os.environ.get("PORT")
    if not value:
        raise SystemExit("error: env PORT is not set: run the server with PORT=<port>")
    try:
        return int(value)
    except ValueError:
        raise SystemExit("error: env PORT=%r is not a port number" % value)


def workers(default=1):
    """Worker count from env BENCH_WORKERS (servers that fork or spawn take it)."""
    value = os.environ.get("BENCH_WORKERS", "")
    return int(value) if value else default


def app_target():
    """Env BENCH_APP: `module:attribute`, or just `module` for the framework's own server."""
    value = os.environ.get("BENCH_APP")
    if not value:
        raise SystemExit("error: env BENCH_APP is not set: give the app as module:attribute")
    return value


def load_app(target=None):
    """Import `module:attribute` (default: env BENCH_APP) and return the attribute."""
    target = target or app_target()
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    if not attr:
        return module
    try:
        return getattr(module, attr)
    except AttributeError:
        raise SystemExit("error: module %s has no attribute %r (BENCH_APP=%s)" % (module_name, attr, target))
