"""What the revocation tests share: the backends, an isolated cache, small helpers.

Test modules import the ``*_fixture`` functions they use from here; pytest
finds fixtures in a module's namespace and knows each by its ``name``.
"""

import os
import time
import uuid

import pytest
from django.core.cache import caches

from django_jwt_ext.signals import token_revoked

DB_BACKEND = "django_jwt_ext.revocation.db.DatabaseBackend"
CACHE_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
CACHED_DB_BACKEND = "django_jwt_ext.revocation.cached_db.CachedDatabaseBackend"

BACKENDS = {"db": DB_BACKEND, "cache": CACHE_BACKEND, "cached_db": CACHED_DB_BACKEND}
DATABASE_BACKENDS = {"db": DB_BACKEND, "cached_db": CACHED_DB_BACKEND}

REDIS_URL = os.environ.get("REDIS_URL")
# Every Redis key these tests make starts with this (and a per-test part), so
# cleaning up never touches the keys of other runs sharing the server.
REDIS_KEY_PREFIX = "jwt_ext:revocation-tests"

REVOKED = {"msg": "Token has been revoked"}
UNAVAILABLE = {"msg": "Token store unavailable"}


def redis_cache_settings(key_prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": key_prefix,
    }


def delete_redis_keys(key_prefix: str) -> None:
    """Delete the Redis keys under ``key_prefix`` (never FLUSHDB: the server is shared)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(name="isolated_cache")
def isolated_cache_fixture(settings):
    """Give the test an empty default cache, and remove what it stored afterwards.

    On Redis the cache gets a key prefix of its own (under ``jwt_ext:``);
    the local-memory cache is simply cleared.
    """
    if REDIS_URL:
        key_prefix = f"{REDIS_KEY_PREFIX}-{uuid.uuid4().hex[:12]}"
        settings.CACHES = {"default": redis_cache_settings(key_prefix)}
        yield caches["default"]
        delete_redis_keys(key_prefix)
    else:
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()  # this very cache, whatever CACHES says now


@pytest.fixture(name="backend_path", params=list(BACKENDS.values()), ids=list(BACKENDS))
def backend_path_fixture(request, settings, isolated_cache):
    """Each revocation backend in turn, as ``JWT_REVOCATION_BACKEND``."""
    settings.JWT_REVOCATION_BACKEND = request.param
    return request.param


@pytest.fixture(name="rotation")
def rotation_fixture(settings):
    """Turn refresh-token rotation on (testproject's choice; off by default)."""
    settings.JWT_REFRESH_TOKEN_ROTATION = True


@pytest.fixture(name="revocations")
def revocations_fixture():
    """Record every ``token_revoked`` signal sent during the test."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append({"sender": sender, **kwargs})

    token_revoked.connect(receiver, weak=False)
    yield sent
    token_revoked.disconnect(receiver)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def early_in_a_second(room: float = 0.5) -> None:
    """Return once at least ``room`` seconds remain before the next whole second.

    What the caller does next then happens within one second (checked by the
    callers on the ``iat`` claims they compare).
    """
    fraction = time.time() % 1
    if fraction > 1 - room:
        time.sleep(1 - fraction + 0.01)
