"""Settings of the ASGI servers (uvicorn, daphne) started by ``test_asgi_servers.py``.

testproject's settings (its Ninja API, its WebSocket echo consumer behind
JWTAuthMiddlewareStack and Origin checking) with no user lookup and the
database revocation store in an SQLite file. The test passes, through the
environment, ``JWT_EXT_TEST_SECRET`` (the signing key) and ``JWT_EXT_TEST_DB``
(the SQLite file).
"""

import os

from testproject.settings import *  # noqa: F403

DEBUG = False
JWT_USER_LOOKUP = None
JWT_SECRET_KEY = os.environ["JWT_EXT_TEST_SECRET"]
JWT_TOKEN_LOCATION = ["headers", "query_string"]
# Below the servers' own limits on a request line, so that the app refuses it.
JWT_MAX_TOKEN_SIZE = 4096

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["JWT_EXT_TEST_DB"]}
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Everything the servers log goes to their output, which the tests read.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django_jwt_ext": {"handlers": ["console"], "level": "INFO"},
        "django": {"handlers": ["console"], "level": "INFO"},
    },
}
