"""hug API; own server: hug's development server (http.serve, stdlib wsgiref)."""

import time

import hug

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


@hug.get("/hello", output=hug.output_format.text)
def hello():
    return HELLO


@hug.get("/json")
def json():
    # hug's default output format serializes the returned dict as JSON on every request.
    return PAYLOAD


@hug.get("/cpu", output=hug.output_format.text)
def cpu():
    cpu_work()
    return HELLO


@hug.get("/io", output=hug.output_format.text)
def io():
    time.sleep(IO_SECONDS)
    return HELLO


def serve(host, port):
    hug.API(__name__).http.serve(host=host, port=port, display_intro=False)
