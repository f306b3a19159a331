"""Settings of the app server started by ``test_keys_servers.py``: another issuer.

testproject's settings with a key pair of its own, published at
``auth/jwks.json``, and the JWKS of the test process's keys to verify the
test process's tokens. The test passes, through the environment:
``JWT_EXT_TEST_ALGORITHM``, ``JWT_EXT_TEST_PRIVATE_KEY``,
``JWT_EXT_TEST_PUBLIC_KEY``, ``JWT_EXT_TEST_ACCEPTED`` (the algorithms it
verifies, comma-separated), ``JWT_EXT_TEST_JWKS_URL`` and ``JWT_EXT_TEST_DB``
(an SQLite file).
"""

import os

from testproject.settings import *  # noqa: F403

JWT_ALGORITHM = os.environ["JWT_EXT_TEST_ALGORITHM"]
JWT_PRIVATE_KEY = os.environ["JWT_EXT_TEST_PRIVATE_KEY"]
JWT_PUBLIC_KEY = os.environ["JWT_EXT_TEST_PUBLIC_KEY"]
JWT_TOKEN_LOCATION = ["headers"]
JWT_USER_LOOKUP = None

# literalinclude-start: jwks-consumer
# Verify the tokens of another issuer too, with the keys it publishes.
JWT_JWKS_URL = os.environ["JWT_EXT_TEST_JWKS_URL"]
JWT_JWKS_CACHE_SECONDS = 1  # Production: minutes (the default is 300 s).
JWT_JWKS_TIMEOUT = 5
JWT_DECODE_ALGORITHMS = os.environ["JWT_EXT_TEST_ACCEPTED"].split(",")
# literalinclude-end: jwks-consumer

# Nothing here needs the database: no user lookup, and revocation in a cache
# of the process's own.
JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["JWT_EXT_TEST_DB"]}
}
