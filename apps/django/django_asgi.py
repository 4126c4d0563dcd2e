"""Django ASGI app (django_asgi:application) for ASGI servers: async views, asyncio sleep
(sync views under ASGI would each run in a thread)."""

import asyncio

import django_settings

django_settings.configure(__name__)

from django.core.asgi import get_asgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work  # noqa: E402


async def hello(request):
    return HttpResponse(HELLO, content_type="text/plain")


async def json(request):
    return JsonResponse(PAYLOAD)


async def cpu(request):
    cpu_work()
    return HttpResponse(HELLO, content_type="text/plain")


async def io(request):
    await asyncio.sleep(IO_SECONDS)
    return HttpResponse(HELLO, content_type="text/plain")


urlpatterns = [path("hello", hello), path("json", json), path("cpu", cpu), path("io", io)]

application = get_asgi_application()
