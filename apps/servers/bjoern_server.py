"""Run a WSGI app (BENCH_APP=module:attr) on bjoern.

BENCH_FORK=1: bind once, fork BENCH_WORKERS children that all run bjoern on the shared
listening socket (bjoern's documented way to use several cores / hide blocking calls);
the parent waits and takes the children down on SIGTERM/SIGINT."""

import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bjoern  # noqa: E402

import common  # noqa: E402


def run_forked(app, host, port, count):
    bjoern.listen(app, host, port)
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            try:
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
