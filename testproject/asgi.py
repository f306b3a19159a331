"""ASGI entry point: HTTP through Django; WebSockets through Channels when installed."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
# Django is set up before anything imports models (the consumers, Channels' auth).
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402

if settings.HAS_CHANNELS:
    # literalinclude-start: asgi
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.urls import path

    from django_jwt_ext.channels import JWTAuthMiddlewareStack

    from .consumers import EchoConsumer

    application = ProtocolTypeRouter(
        {
            "http": django_application,
            # Browsers send cookies with cross-site WebSocket handshakes too:
            # only pages of ALLOWED_HOSTS may open one.
            "websocket": AllowedHostsOriginValidator(
                JWTAuthMiddlewareStack(URLRouter([path("ws/echo", EchoConsumer.as_asgi())]))
            ),
        }
    )
    # literalinclude-end: asgi
else:
    application = django_application
