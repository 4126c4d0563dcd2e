"""Quart app (quart_app:app) for ASGI servers: async views, asyncio sleep."""

import asyncio

from quart import Quart

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = Quart(__name__)

TEXT = {"Content-Type": "text/plain"}


@app.get("/hello")
async def hello():
    return HELLO, 200, TEXT


@app.get("/json")
async def json():
    # A dict return is serialized by Quart's JSON provider on every request.
    return PAYLOAD


@app.get("/cpu")
async def cpu():
    cpu_work()
    return HELLO, 200, TEXT


@app.get("/io")
async def io():
    await asyncio.sleep(IO_SECONDS)
    return HELLO, 200, TEXT
