"""Django WSGI app (django_app:application) for WSGI servers: sync views, time.sleep."""

import time

import django_settings

django_settings.configure(__name__)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from common import HELLO, IO_SECONDS, PAYLOAD, cpu_work  # noqa: E402


def hello(request):
    return HttpResponse(HELLO, content_type="text/plain")


def json(request):
    return JsonResponse(PAYLOAD)


def cpu(request):
    cpu_work()
    return HttpResponse(HELLO, content_type="text/plain")


def io(request):
    time.sleep(IO_SECONDS)
    return HttpResponse(HELLO, content_type="text/plain")


urlpatterns = [path("hello", hello), path("json", json), path("cpu", cpu), path("io", io)]

application = get_wsgi_application()
