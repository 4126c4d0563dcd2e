"""Pycnic WSGI app (pycnic_app:app): the WSGI class itself is the callable."""

import time

from pycnic.core import Handler, WSGI

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


class TextHandler(Handler):
    def text(self):
        self.response.set_header("Content-Type", "text/plain")
        return HELLO


class Hello(TextHandler):
    def get(self):
        return self.text()


class Json(Handler):
    def get(self):
        # Pycnic serializes a returned dict with json.dumps on every request.
        return PAYLOAD


class Cpu(TextHandler):
    def get(self):
        cpu_work()
        return self.text()


class Io(TextHandler):
    def get(self):
        time.sleep(IO_SECONDS)
        return self.text()


class app(WSGI):
    routes = [
        ("/hello", Hello()),
        ("/json", Json()),
        ("/cpu", Cpu()),
        ("/io", Io()),
    ]
