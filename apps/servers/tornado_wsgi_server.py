"""Run a WSGI app (BENCH_APP=module:attr) in tornado.wsgi.WSGIContainer on Tornado's
HTTP server (the WSGI app runs on the IOLoop thread, as the container does by default)."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tornado.httpserver  # noqa: E402
import tornado.wsgi  # noqa: E402

import common  # noqa: E402


async def main():
    container = tornado.wsgi.WSGIContainer(common.load_app())
    server = tornado.httpserver.HTTPServer(container)
    server.listen(common.port(), address=common.host())
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
