"""Emmett app (emmett_app:app) for granian's RSGI interface, the way `emmett serve` runs it:
async routes, asyncio sleep."""

import asyncio

from emmett import App, response
from emmett.tools import service

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = App(__name__)


@app.route("/hello", output="str")
async def hello():
    response.content_type = "text/plain"
    return HELLO


@app.route("/json")
@service.json
async def json():
    return PAYLOAD


@app.route("/cpu", output="str")
async def cpu():
    cpu_work()
    response.content_type = "text/plain"
    return HELLO


@app.route("/io", output="str")
async def io():
    await asyncio.sleep(IO_SECONDS)
    response.content_type = "text/plain"
    return HELLO
