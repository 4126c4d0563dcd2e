"""aiohttp app (aiohttp_app:app, for aiohttp.GunicornWebWorker); own server: web.run_app."""

import asyncio

from aiohttp import web

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


async def hello(request):
    return web.Response(text=HELLO)


async def json(request):
    return web.json_response(PAYLOAD)


async def cpu(request):
    cpu_work()
    return web.Response(text=HELLO)


async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return web.Response(text=HELLO)


app = web.Application()
app.add_routes([
    web.get("/hello", hello),
    web.get("/json", json),
    web.get("/cpu", cpu),
    web.get("/io", io),
])


def serve(host, port):
    # run_app's default access log stays on, as the framework's users run it (the gunicorn rows
    # get none: gunicorn's worker passes it only with --access-logfile). Nothing configures
    # logging, so it writes nothing and costs next to nothing (aiohttp checks the logger's level
    # first: aio-libs/aiohttp#7240, #9822); a 2023 aiohttp older than #7240 formatted every line.
    web.run_app(app, host=host, port=port, print=None)
