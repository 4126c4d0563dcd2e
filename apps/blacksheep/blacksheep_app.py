"""BlackSheep app (blacksheep_app:app) for ASGI servers: async handlers, asyncio sleep."""

import asyncio

from blacksheep import Application, get, json as json_response, text

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

# show_error_details off, as in production.
app = Application()


@get("/hello")
async def hello():
    return text(HELLO)


@get("/json")
async def json():
    return json_response(PAYLOAD)


@get("/cpu")
async def cpu():
    cpu_work()
    return text(HELLO)


@get("/io")
async def io():
    await asyncio.sleep(IO_SECONDS)
    return text(HELLO)
