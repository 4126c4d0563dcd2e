"""Sanic app served by Sanic's own server (sanic_app, serve(host, port)): asyncio sleep."""

import asyncio

from sanic import Sanic
from sanic.response import json as json_response
from sanic.response import text

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = Sanic("bench")


@app.get("/hello")
async def hello(request):
    return text(HELLO)


@app.get("/json")
async def json(request):
    return json_response(PAYLOAD)


@app.get("/cpu")
async def cpu(request):
    cpu_work()
    return text(HELLO)


@app.get("/io")
async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return text(HELLO)


def serve(host, port):
    # One process, no access log, as the other own servers run.
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
