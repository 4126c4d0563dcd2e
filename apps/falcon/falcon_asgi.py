"""Falcon ASGI app (falcon_asgi:app) for uvicorn: async responders, asyncio sleep."""

import asyncio

import falcon
import falcon.asgi

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


class HelloResource:
    async def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


class JsonResource:
    async def on_get(self, req, resp):
        resp.media = PAYLOAD


class CpuResource:
    async def on_get(self, req, resp):
        cpu_work()
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


class IoResource:
    async def on_get(self, req, resp):
        await asyncio.sleep(IO_SECONDS)
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = HELLO


app = falcon.asgi.App()
app.add_route("/hello", HelloResource())
app.add_route("/json", JsonResource())
app.add_route("/cpu", CpuResource())
app.add_route("/io", IoResource())
