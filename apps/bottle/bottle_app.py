"""Bottle WSGI app (bottle_app:app); own server: bottle.run (wsgiref by default)."""

import time

import bottle
from bottle import response

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = bottle.Bottle()


@app.get("/hello")
def hello():
    response.content_type = "text/plain"
    return HELLO


@app.get("/json")
def json():
    # Bottle's JSON plugin serializes a returned dict on every request.
    return PAYLOAD


@app.get("/cpu")
def cpu():
    cpu_work()
    response.content_type = "text/plain"
    return HELLO


@app.get("/io")
def io():
    time.sleep(IO_SECONDS)
    response.content_type = "text/plain"
    return HELLO


def serve(host, port):
    bottle.run(app, host=host, port=port, quiet=True)
