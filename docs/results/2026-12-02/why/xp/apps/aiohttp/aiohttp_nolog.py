"""aiohttp_app's app on aiohttp's own server with the access log off (access_log=None), for
docs/results/2026-12-02/why.md: the control for what run_app's default access logger costs."""

from aiohttp import web

from aiohttp_app import app


def serve(host, port):
    web.run_app(app, host=host, port=port, print=None, access_log=None)
