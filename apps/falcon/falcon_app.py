"""Falcon WSGI app (falcon_app:app) and falcon's "own" server: the stdlib wsgiref server,
the way Falcon's tutorial runs an app without a production server."""

import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import falcon

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


class HelloResource:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


class JsonResource:
    def on_get(self, req, resp):
        # Falcon serializes resp.media with its JSON handler on every request.
        resp.media = PAYLOAD


class CpuResource:
    def on_get(self, req, resp):
        cpu_work()
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


class IoResource:
    def on_get(self, req, resp):
        time.sleep(IO_SECONDS)
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


app = falcon.App()
app.add_route("/hello", HelloResource())
app.add_route("/json", JsonResource())
app.add_route("/cpu", CpuResource())
app.add_route("/io", IoResource())


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(host, port):
    with make_server(host, port, app, handler_class=QuietHandler) as httpd:
        httpd.serve_forever()
