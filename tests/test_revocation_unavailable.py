"""An unreachable store fails closed with 503, never a 500 and never a silent pass."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.exceptions import StoreUnavailableError
from django_jwt_ext.revocation import is_token_revoked, revoke_token, revoke_user_tokens
from django_jwt_ext.revocation.db import DatabaseBackend
from tests.revocation_support import (  # noqa: F401 (fixtures)
    CACHE_BACKEND,
    CACHED_DB_BACKEND,
    DB_BACKEND,
    REVOKED,
    UNAVAILABLE,
    bearer,
    isolated_cache_fixture,
    rotation_fixture,
)

pytestmark = pytest.mark.django_db

# Nothing listens on port 1.
UNREACHABLE_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}
# The stores that fail closed when their cache is down; cached_db falls back to
# its database instead.
CACHE_STORES = {"cache": CACHE_BACKEND}
# JWT_USER_LOOKUP -> a protected path that works with it.
LOOKUPS = {"model": "/api/protected", None: "/flavours/sync/protected"}


@pytest.fixture
def client():
    """A client that returns 500 responses instead of raising the view's exception."""
    return Client(raise_request_exception=False)


def cut_cache(settings):
    settings.CACHES = {"default": UNREACHABLE_REDIS}


@pytest.fixture(params=list(CACHE_STORES.values()), ids=list(CACHE_STORES))
def cache_down(request, settings):
    """A cache-based store whose cache cannot be reached."""
    settings.JWT_REVOCATION_BACKEND = request.param
    cut_cache(settings)
    return request.param


def assert_fails_closed(response, caplog):
    assert response.status_code == 503, response.content[:300]
    assert response.json() == UNAVAILABLE
    assert b"Traceback" not in response.content
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []


# Cache down


@pytest.mark.parametrize("lookup", list(LOOKUPS), ids=["model", "none"])
def test_protected_request_fails_closed_when_the_cache_is_down(
    cache_down, settings, client, user, lookup, caplog
):
    settings.JWT_USER_LOOKUP = lookup
    token = create_access_token(user)
    response = client.get(LOOKUPS[lookup], **bearer(token))
    assert_fails_closed(response, caplog)


def test_revocation_api_raises_store_unavailable_when_the_cache_is_down(cache_down, user):
    token = create_access_token(user)
    with pytest.raises(StoreUnavailableError):
        revoke_token(token)
    with pytest.raises(StoreUnavailableError):
        revoke_user_tokens(user)
    with pytest.raises(StoreUnavailableError):
        is_token_revoked(decode_token(token))


@pytest.mark.parametrize("lookup", list(LOOKUPS), ids=["model", "none"])
def test_cached_db_falls_back_to_its_database_when_the_cache_is_down(
    settings, client, user, lookup, caplog
):
    """The database is cached_db's truth: a cache outage is logged, never a 503, and
    revocations written meanwhile are honoured."""
    settings.JWT_REVOCATION_BACKEND = CACHED_DB_BACKEND
    settings.JWT_USER_LOOKUP = lookup
    cut_cache(settings)
    token, revoked = create_access_token(user), create_access_token(user)

    assert revoke_token(revoked) is True
    assert client.get(LOOKUPS[lookup], **bearer(token)).status_code == 200
    assert client.get(LOOKUPS[lookup], **bearer(revoked)).json() == REVOKED
    revoke_user_tokens(user)
    assert client.get(LOOKUPS[lookup], **bearer(token)).json() == REVOKED
    assert is_token_revoked(decode_token(token)) is True
    warnings = [r.getMessage() for r in caplog.records if r.name == "django_jwt_ext.revocation"]
    assert any("Revocation cache unreachable" in message for message in warnings)


@pytest.mark.parametrize("lookup", list(LOOKUPS), ids=["model", "none"])
def test_fail_open_lets_requests_through_when_the_cache_is_down(
    cache_down, settings, client, user, lookup
):
    settings.JWT_USER_LOOKUP = lookup
    settings.JWT_REVOCATION_FAIL_OPEN = True
    token = create_access_token(user)
    assert is_token_revoked(decode_token(token)) is False
    response = client.get(LOOKUPS[lookup], **bearer(token))
    assert response.status_code == 200


def test_login_and_refresh_fail_closed_when_the_cache_goes_down(
    settings, isolated_cache, rotation, client, user, caplog
):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    refresh = create_refresh_token(user)
    cut_cache(settings)

    response = client.post("/api/refresh", **bearer(refresh))
    assert_fails_closed(response, caplog)
    response = client.post(
        "/api/login",
        {"username": "alice", "password": "alice-password"},
        content_type="application/json",
    )
    assert_fails_closed(response, caplog)


def test_logout_fails_closed_when_the_cache_goes_down(
    settings, isolated_cache, client, user, caplog
):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.JWT_REVOCATION_FAIL_OPEN = True  # lets the check pass, never the revocation
    token = create_access_token(user)
    cut_cache(settings)
    response = client.post("/api/logout", **bearer(token))
    assert_fails_closed(response, caplog)


# Database down


@contextmanager
def database_down(sql_containing=("django_jwt_ext_",)):
    """Fail the queries whose SQL contains one of ``sql_containing`` ("" fails all)."""

    def wrapper(execute, sql, params, many, context):
        if any(part in sql for part in sql_containing):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    # The savepoint keeps a failed write from breaking the test's transaction
    # (outside tests, in autocommit, there is nothing to roll back).
    with transaction.atomic(), connection.execute_wrapper(wrapper):
        yield


def test_backend_query_failing_gives_503(client, user, caplog):
    token = create_access_token(user)
    with mock.patch.object(
        DatabaseBackend, "user_and_revocation", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/api/protected", **bearer(token))
    assert_fails_closed(response, caplog)


def test_revocation_check_failing_raises_store_unavailable(user):
    claims = decode_token(create_access_token(user))
    with (
        mock.patch.object(DatabaseBackend, "state", side_effect=OperationalError("gone")),
        pytest.raises(StoreUnavailableError),
    ):
        is_token_revoked(claims)


@pytest.mark.parametrize("backend", [DB_BACKEND, CACHED_DB_BACKEND], ids=["db", "cached_db"])
@pytest.mark.parametrize("lookup", list(LOOKUPS), ids=["model", "none"])
def test_database_down_fails_closed(
    backend, lookup, settings, isolated_cache, client, user, caplog
):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.JWT_USER_LOOKUP = lookup
    token = create_access_token(user)
    with database_down(sql_containing=("",)):
        response = client.get(LOOKUPS[lookup], **bearer(token))
    assert_fails_closed(response, caplog)


def test_fail_open_skips_only_the_revocation_check(settings, client, user, caplog):
    settings.JWT_REVOCATION_FAIL_OPEN = True
    token = create_access_token(user)

    # Revocation tables unreachable: the check fails open, the user still loads.
    with database_down():
        response = client.get("/api/protected", **bearer(token))
    assert (response.status_code, response.json()["logged_in_as"]) == (200, "alice")

    # The whole database down: no user, no entry.
    with database_down(sql_containing=("",)):
        response = client.get("/api/protected", **bearer(token))
    assert_fails_closed(response, caplog)


def test_revoked_token_stays_refused_when_the_database_is_back(client, user):
    token = create_access_token(user)
    revoke_token(token)
    with database_down():
        assert client.get("/api/protected", **bearer(token)).status_code == 503
    assert client.get("/api/protected", **bearer(token)).json() == REVOKED


def test_refresh_rotation_fails_closed_when_the_database_is_down(rotation, client, user, caplog):
    refresh = create_refresh_token(user)
    with database_down(sql_containing=("UPDATE",)):
        response = client.post("/api/refresh", **bearer(refresh))
    assert_fails_closed(response, caplog)
    # The token was not consumed: it still refreshes once the database is back.
    assert client.post("/api/refresh", **bearer(refresh)).status_code == 200
