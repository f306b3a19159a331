"""Settings of the uvicorn workers ``python -m bench.asgi`` starts (``make bench-async``).

``BENCH_MODE`` chooses what ``@jwt_required()`` does: ``stateless`` (no user
lookup, the cache revocation store: verification stays on the event loop) or
``default`` (the user and the database revocation store in one query: one
thread hop). ``BENCH_DB`` is the SQLite file, ``BENCH_SECRET`` the key.
"""

import os

DEBUG = False
SECRET_KEY = os.environ["BENCH_SECRET"]
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "bench.asgi_urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_jwt_ext",
]
# The middleware this app needs, and nothing else: Django's own middleware
# classes run their hooks in a thread under ASGI, which would hide the
# difference measured here behind hops both views pay.
MIDDLEWARE = ["django_jwt_ext.middleware.JWTMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_DB"]}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if os.environ.get("BENCH_MODE", "stateless") == "stateless":
    JWT_USER_LOOKUP = None
    JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
