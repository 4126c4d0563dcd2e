"""Django configured in code, for the one-module apps of this directory: no database, no
installed apps, no middleware (a request goes from the handler to the view), DEBUG off."""

from django.conf import settings


def configure(urlconf):
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=urlconf,
        SECRET_KEY="bench-not-secret",
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )
