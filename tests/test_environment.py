"""The suite runs on the servers the environment names, never silently on SQLite."""

import os

import pytest
from django.core.cache import cache, caches
from django.db import connection


@pytest.mark.django_db
def test_database_is_the_one_named_by_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


def test_cache_is_the_one_named_by_redis_url():
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
    cache.set("django-jwt-ext-probe", "ok", 5)
    assert cache.get("django-jwt-ext-probe") == "ok"
