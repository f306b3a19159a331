"""Settings of the app servers started by ``test_revocation_servers.py``.

testproject's settings with the cache revocation store and no user lookup, so
the servers share nothing but the cache. The test passes, through the
environment: ``JWT_EXT_TEST_SECRET`` (the signing key), ``JWT_EXT_TEST_DB``
(an SQLite file), and either ``REDIS_URL`` with ``JWT_EXT_TEST_KEY_PREFIX``
or ``JWT_EXT_TEST_CACHE_DIR`` (a FileBasedCache directory).
"""

import os

from testproject.settings import *  # noqa: F403

JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
JWT_USER_LOOKUP = None
JWT_SECRET_KEY = os.environ["JWT_EXT_TEST_SECRET"]
JWT_TOKEN_LOCATION = ["headers"]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["JWT_EXT_TEST_DB"]}
}

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ["JWT_EXT_TEST_KEY_PREFIX"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["JWT_EXT_TEST_CACHE_DIR"],
        }
    }
