"""Starlette app (starlette_app:app) for ASGI servers: async endpoints, asyncio sleep."""

import asyncio

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


async def hello(request):
    return PlainTextResponse(HELLO)


async def json(request):
    return JSONResponse(PAYLOAD)


async def cpu(request):
    cpu_work()
    return PlainTextResponse(HELLO)


async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return PlainTextResponse(HELLO)


app = Starlette(routes=[
    Route("/hello", hello),
    Route("/json", json),
    Route("/cpu", cpu),
    Route("/io", io),
])
