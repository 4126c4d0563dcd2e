"""Flask WSGI app (flask_app:app); own server: app.run (werkzeug's server, threaded)."""

import logging
import time

from flask import Flask

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = Flask(__name__)

TEXT = {"Content-Type": "text/plain"}


@app.get("/hello")
def hello():
    return HELLO, 200, TEXT


@app.get("/json")
def json():
    # A dict return value is serialized by Flask's JSON provider on every request.
    return PAYLOAD


@app.get("/cpu")
def cpu():
    cpu_work()
    return HELLO, 200, TEXT


@app.get("/io")
def io():
    time.sleep(IO_SECONDS)
    return HELLO, 200, TEXT


def serve(host, port):
    # No per-request access log (as under gunicorn's defaults).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host=host, port=port)
