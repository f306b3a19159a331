"""System checks of the revocation settings, compared as whole lists of our ids."""

import pytest
from django.core.checks import run_checks

from tests.revocation_support import CACHE_BACKEND, CACHED_DB_BACKEND, DB_BACKEND

PREFIX = "django_jwt_ext."
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/0",
}
CACHE_STORES = pytest.mark.parametrize(
    "backend", [CACHE_BACKEND, CACHED_DB_BACKEND], ids=["cache", "cached_db"]
)


def our_ids(deploy=False):
    messages = run_checks(include_deployment_checks=deploy)
    return sorted(m.id for m in messages if (m.id or "").startswith(PREFIX))


def ids(*names):
    return sorted(PREFIX + name for name in names)


@pytest.mark.parametrize("backend", [DB_BACKEND, CACHE_BACKEND, CACHED_DB_BACKEND])
@pytest.mark.parametrize("deploy", [False, True])
def test_every_backend_on_a_shared_cache_is_clean(settings, backend, deploy):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.CACHES = {"default": REDIS}
    assert our_ids(deploy) == []


@pytest.mark.parametrize(
    "path",
    ["django_jwt_ext.revocation.nope.Backend", "django_jwt_ext.models.RevokedToken", "no-dots"],
    ids=["missing", "not-a-backend", "not-a-path"],
)
@pytest.mark.parametrize("deploy", [False, True])
def test_e016_unusable_backend(settings, path, deploy):
    settings.JWT_REVOCATION_BACKEND = path
    assert our_ids(deploy) == ids("E016")


@CACHE_STORES
def test_e017_cache_alias_missing(settings, backend):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.CACHES = {"default": REDIS}
    settings.JWT_REVOCATION_CACHE_ALIAS = "revocations"
    assert our_ids() == ids("E017")
    assert our_ids(deploy=True) == ids("E017")


def test_e017_alias_present(settings):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.CACHES = {"default": LOCMEM, "revocations": REDIS}
    settings.JWT_REVOCATION_CACHE_ALIAS = "revocations"
    assert our_ids(deploy=True) == []


def test_database_backend_ignores_the_cache_alias(settings):
    settings.JWT_REVOCATION_BACKEND = DB_BACKEND
    settings.JWT_REVOCATION_CACHE_ALIAS = "revocations"
    assert our_ids(deploy=True) == []


@CACHE_STORES
@pytest.mark.parametrize(
    "cache_backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
    ids=["locmem", "dummy"],
)
def test_w009_per_process_cache_only_with_deploy(settings, backend, cache_backend):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.CACHES = {"default": {"BACKEND": cache_backend}}
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W009")


def test_w009_not_for_the_database_backend(settings):
    settings.JWT_REVOCATION_BACKEND = DB_BACKEND
    settings.CACHES = {"default": LOCMEM}
    assert our_ids(deploy=True) == []


def test_w010_fail_open_only_with_deploy(settings):
    settings.JWT_REVOCATION_FAIL_OPEN = True
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W010")


def test_w009_and_w010_together(settings):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.CACHES = {"default": LOCMEM}
    settings.JWT_REVOCATION_FAIL_OPEN = True
    assert our_ids(deploy=True) == ids("W009", "W010")


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_fail_open_must_be_a_boolean(settings, value):
    settings.JWT_REVOCATION_FAIL_OPEN = value
    assert our_ids() == ids("E014")
    assert our_ids(deploy=True) == ids("E014")
