"""Run a WSGI app (BENCH_APP=module:attr) on netius's WSGI server."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import netius.servers  # noqa: E402

import common  # noqa: E402

if __name__ == "__main__":
    server = netius.servers.WSGIServer(app=common.load_app())
    server.serve(host=common.host(), port=common.port())
