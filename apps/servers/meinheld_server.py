"""Run a WSGI app (BENCH_APP=module:attr) on meinheld."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from meinheld import server  # noqa: E402

import common  # noqa: E402

if __name__ == "__main__":
    server.listen((common.host(), common.port()))
    server.run(common.load_app())
