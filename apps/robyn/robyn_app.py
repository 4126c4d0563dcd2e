"""Robyn app served by Robyn's own Rust server (robyn_app, serve(host, port)): async handlers,
asyncio sleep."""

import asyncio

from robyn import Response, Robyn, jsonify
from robyn.argument_parser import Config

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

# Robyn's production settings: its log level WARN (its default INFO says "VERBOSE/DEBUG MODE")
# and no generated OpenAPI routes. Config() reads sys.argv, which holds no Robyn flags here.
config = Config()
config.log_level = "WARN"
config.disable_openapi = True
app = Robyn(__file__, config=config)

TEXT = {"Content-Type": "text/plain"}
JSON = {"Content-Type": "application/json"}


@app.get("/hello")
async def hello(request):
    return Response(status_code=200, headers=TEXT, description=HELLO)


@app.get("/json")
async def json(request):
    return Response(status_code=200, headers=JSON, description=jsonify(PAYLOAD))


@app.get("/cpu")
async def cpu(request):
    cpu_work()
    return Response(status_code=200, headers=TEXT, description=HELLO)


@app.get("/io")
async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return Response(status_code=200, headers=TEXT, description=HELLO)


def serve(host, port):
    # One process and one worker, as the other own servers run (Robyn's defaults).
    app.start(host=host, port=port)
