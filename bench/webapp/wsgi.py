"""WSGI entry point of the benchmark HTTP servers (``gunicorn bench.webapp.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.webapp.settings")
application = get_wsgi_application()
