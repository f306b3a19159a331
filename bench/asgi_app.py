"""The ASGI application the benchmark's uvicorn workers serve."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.asgi_settings")
application = get_asgi_application()
