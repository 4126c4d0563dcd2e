"""Run a framework's own server: BENCH_APP names the module, whose serve(host, port) starts it
the way the framework's users do. BENCH_LOOP=uvloop installs uvloop's event loop policy first."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import common  # noqa: E402


def main():
    if os.environ.get("BENCH_LOOP") == "uvloop":
        import uvloop

        uvloop.install()
    module = common.load_app(common.app_target().partition(":")[0])
    module.serve(common.host(), common.port())


if __name__ == "__main__":
    main()
