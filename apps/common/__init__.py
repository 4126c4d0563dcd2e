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

# Iterations of cpu_work(), tuned so one call takes 90-100 ms on CPython 3.11 on the project's
# machine (`python -m common.measure_cpu` in a CPython image, pinned to one core). A core's speed
# here swings about 2x with the neighbours' load: retune only from a quiet-moment reading, and
# record it in the commit message.
CPU_ITERATIONS = 1_700_000


def cpu_work(iterations=CPU_ITERATIONS):
    """Pure-Python integer arithmetic in a loop: no I/O, no C helpers, so a JIT (PyPy) or a
    compiler can speed it up, while CPython interprets every bytecode.

    The article's PyPy rows ran this test 36-94x faster than its CPython rows, so its loop was
    one a tracing JIT turns into a few machine instructions an iteration: a multiply, an add
    and a mask, all in machine words. (A modulo by a constant stays a division an iteration and
    kept PyPy far below the article's gain.) Each iteration depends on the previous one and the
    checksum is returned, so the loop cannot be removed or folded into a formula."""
    total = 0
    for i in range(iterations):
        total = (total + i * i) & 0xFFFFFFFF
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
