"""A bare WSGI callable, no framework (plain_app:app), for the bare C servers."""

import json
import time

from common import HELLO_BYTES, IO_SECONDS, PAYLOAD, cpu_work

TEXT = [("Content-Type", "text/plain"), ("Content-Length", str(len(HELLO_BYTES)))]


def hello(start_response):
    start_response("200 OK", TEXT)
    return [HELLO_BYTES]


def json_(start_response):
    body = json.dumps(PAYLOAD).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def cpu(start_response):
    cpu_work()
    return hello(start_response)


def io(start_response):
    time.sleep(IO_SECONDS)
    return hello(start_response)


ROUTES = {"/hello": hello, "/json": json_, "/cpu": cpu, "/io": io}


def app(environ, start_response):
    handler = ROUTES.get(environ.get("PATH_INFO", ""))
    if handler is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"Not Found"]
    return handler(start_response)
