"""Litestar app (litestar_app:app) for ASGI servers: async handlers, asyncio sleep."""

import asyncio

from litestar import Litestar, MediaType, get

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work


@get("/hello", media_type=MediaType.TEXT)
async def hello() -> str:
    return HELLO


@get("/json", media_type=MediaType.JSON)
async def json() -> dict:
    return PAYLOAD


@get("/cpu", media_type=MediaType.TEXT)
async def cpu() -> str:
    cpu_work()
    return HELLO


@get("/io", media_type=MediaType.TEXT)
async def io() -> str:
    await asyncio.sleep(IO_SECONDS)
    return HELLO


app = Litestar(route_handlers=[hello, json, cpu, io], openapi_config=None)
