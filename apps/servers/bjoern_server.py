"""Run a WSGI app (BENCH_APP=module:attr) on bjoern.

BENCH_FORK=1: fork BENCH_WORKERS children, each running bjoern on its own listening socket
bound with SO_REUSEPORT (bjoern's reuse_port), so the kernel spreads the connections evenly
over the children; the parent waits and takes the children down on SIGTERM/SIGINT.

Why not one shared socket (bjoern's README example): a child blocked in a request cannot
accept, so the idle ones take the whole burst of connections, and a keep-alive connection
stays with the child that accepted it. With a blocking /io, a child serves one request at a
time however many connections it holds, so the throughput is that of the children holding
any; with one socket per child, almost every child gets some."""

import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bjoern  # noqa: E402

import common  # noqa: E402


def run_forked(app, host, port, count):
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            try:
                bjoern.listen(app, host, port, reuse_port=True)
                bjoern.run()
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum, frame):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while children:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            break
        if pid in children:
            children.remove(pid)
    sys.exit(1)


def main():
    app = common.load_app()
    if os.environ.get("BENCH_FORK") == "1":
        run_forked(app, common.host(), common.port(), common.workers())
    else:
        bjoern.run(app, common.host(), common.port())


if __name__ == "__main__":
    main()
