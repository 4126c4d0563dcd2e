"""Run a WSGI app (BENCH_APP=module:attr) on meinheld.

Keep-alive: meinheld's own default (get_keepalive() == 0) closes the connection after every
response, which no production setup runs and the article's meinheld figures rule out (44,706
req/s at 0.46 ms over 20 connections). gunicorn's meinheld worker calls
set_keepalive(cfg.keepalive); we use gunicorn's default keepalive, 2 s, so both meinheld rows
keep connections alive the same way."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from meinheld import server  # noqa: E402

import common  # noqa: E402

# Seconds an idle connection stays open (gunicorn's default --keep-alive).
KEEPALIVE_SECONDS = 2

if __name__ == "__main__":
    server.listen((common.host(), common.port()))
    server.set_keepalive(KEEPALIVE_SECONDS)
    server.run(common.load_app())
