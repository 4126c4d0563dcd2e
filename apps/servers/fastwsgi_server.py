"""Run a WSGI app (BENCH_APP=module:attr) on fastwsgi."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import fastwsgi  # noqa: E402

import common  # noqa: E402

if __name__ == "__main__":
    fastwsgi.run(wsgi_app=common.load_app(), host=common.host(), port=common.port())
