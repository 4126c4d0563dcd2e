"""A bare RSGI application (rsgi_app:app) for granian's RSGI interface, the counterpart of
plain/plain_app.py for WSGI: no framework, the protocol's own response calls."""

import asyncio
import json

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work

TEXT = [("content-type", "text/plain")]
JSON = [("content-type", "application/json")]


async def app(scope, proto):
    path = scope.path
    if path == "/hello":
        proto.response_str(200, TEXT, HELLO)
    elif path == "/json":
        proto.response_str(200, JSON, json.dumps(PAYLOAD))
    elif path == "/cpu":
        cpu_work()
        proto.response_str(200, TEXT, HELLO)
    elif path == "/io":
        await asyncio.sleep(IO_SECONDS)
        proto.response_str(200, TEXT, HELLO)
    else:
        proto.response_str(404, TEXT, "Not Found")
