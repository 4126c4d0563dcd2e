"""Muffin ASGI app (muffin_app:app) for uvicorn."""

import asyncio

import muffin

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = muffin.Application()


@app.route("/hello", methods=["GET"])
async def hello(request):
    return muffin.ResponseText(HELLO)


@app.route("/json", methods=["GET"])
async def json(request):
    # A returned dict becomes a JSON response, serialized on every request.
    return PAYLOAD


@app.route("/cpu", methods=["GET"])
async def cpu(request):
    cpu_work()
    return muffin.ResponseText(HELLO)


@app.route("/io", methods=["GET"])
async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return muffin.ResponseText(HELLO)
