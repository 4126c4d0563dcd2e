"""FastAPI app (fastapi_app:app) for ASGI servers: async path operations, asyncio sleep."""

import asyncio

from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/hello", response_class=PlainTextResponse)
async def hello():
    return HELLO


@app.get("/json")
async def json():
    return JSONResponse(PAYLOAD)


@app.get("/cpu", response_class=PlainTextResponse)
async def cpu():
    cpu_work()
    return HELLO


@app.get("/io", response_class=PlainTextResponse)
async def io():
    await asyncio.sleep(IO_SECONDS)
    return HELLO
