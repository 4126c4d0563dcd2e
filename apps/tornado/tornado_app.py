"""Tornado app; own server: app.listen on the asyncio loop.

/io blocks the IOLoop's thread with time.sleep, unlike every other async app here: the
article's tornado io figures (10 req/s, 9.7 s average, 19.9 s max over 20 s, the very
pattern of its one-request-at-a-time WSGI rows) are only possible with a blocking sleep,
and its text says the io test "sleeps the thread". An awaited sleep serves two orders of
magnitude more."""

import asyncio
import time

import tornado.web

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


class TextHandler(tornado.web.RequestHandler):
    def set_default_headers(self):
        self.set_header("Content-Type", "text/plain")


class HelloHandler(TextHandler):
    def get(self):
        self.write(HELLO)


class JsonHandler(tornado.web.RequestHandler):
    def get(self):
        # write() of a dict serializes it as JSON (application/json).
        self.write(PAYLOAD)


class CpuHandler(TextHandler):
    def get(self):
        cpu_work()
        self.write(HELLO)


class IoHandler(TextHandler):
    def get(self):
        time.sleep(IO_SECONDS)
        self.write(HELLO)


def make_app():
    return tornado.web.Application([
        (r"/hello", HelloHandler),
        (r"/json", JsonHandler),
        (r"/cpu", CpuHandler),
        (r"/io", IoHandler),
    ])


async def main(host, port):
    app = make_app()
    app.listen(port, address=host)
    await asyncio.Event().wait()


def serve(host, port):
    asyncio.run(main(host, port))
