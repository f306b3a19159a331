"""What the hot path costs: database queries per protected request, pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.config import config
from django_jwt_ext.models import IssuedRefreshToken
from django_jwt_ext.revocation import record_refresh_token, revoke_token, revoke_user_tokens
from tests.revocation_support import (  # noqa: F401 (fixtures)
    CACHE_BACKEND,
    CACHED_DB_BACKEND,
    DATABASE_BACKENDS,
    DB_BACKEND,
    REVOKED,
    bearer,
    isolated_cache_fixture,
    rotation_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=list(DATABASE_BACKENDS.values()), ids=list(DATABASE_BACKENDS))
def database_backend(request, settings, isolated_cache):
    """Each backend that keeps its records in the database."""
    settings.JWT_REVOCATION_BACKEND = request.param
    return request.param


def test_default_settings_use_the_database_backend_and_the_model_lookup():
    # What the one-query tests below rely on.
    assert config.revocation_backend == DB_BACKEND
    assert config.user_lookup == "model"


def test_protected_request_costs_one_query_with_default_settings(
    client, user, django_assert_num_queries
):
    token = create_access_token(user)
    with django_assert_num_queries(1):
        response = client.get("/api/protected", **bearer(token))
    assert response.status_code == 200


# Queries of a protected request (valid, revoked, logged out), per database store:
# one at most; cached_db answers a revocation it has cached without any.
ONE_QUERY_AT_MOST = {DB_BACKEND: (1, 1, 1), CACHED_DB_BACKEND: (1, 0, 1)}


def test_one_query_for_valid_revoked_and_logged_out_tokens(
    database_backend, client, user, django_assert_num_queries
):
    budget = ONE_QUERY_AT_MOST[database_backend]
    valid, revoked, logged_out = (create_access_token(user) for _ in range(3))
    revoke_token(revoked)

    with django_assert_num_queries(budget[0]):
        response = client.get("/api/protected", **bearer(valid))
    assert response.status_code == 200

    with django_assert_num_queries(budget[1]):
        response = client.get("/api/protected", **bearer(revoked))
    assert (response.status_code, response.json()) == (401, REVOKED)

    revoke_user_tokens(user)
    with django_assert_num_queries(budget[2]):
        response = client.get("/api/protected", **bearer(logged_out))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_cached_db_warm_cache_leaves_only_the_user_query(
    settings, isolated_cache, client, user, django_assert_num_queries
):
    settings.JWT_REVOCATION_BACKEND = CACHED_DB_BACKEND
    token = create_access_token(user)
    assert client.get("/api/protected", **bearer(token)).status_code == 200  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/protected", **bearer(token)).status_code == 200
    assert len(queries.captured_queries) == 1
    assert "revoked" not in queries.captured_queries[0]["sql"]


def test_revoked_token_of_an_unknown_user_is_reported_revoked(client, django_assert_num_queries):
    # The annotated user query finds no row; a second query tells revoked from unknown.
    token = create_access_token("424242")
    revoke_token(token)
    with django_assert_num_queries(2):
        response = client.get("/api/protected", **bearer(token))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_cache_backend_without_user_lookup_costs_no_query(
    settings, isolated_cache, client, user, django_assert_num_queries
):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.JWT_USER_LOOKUP = None
    valid, revoked, logged_out = (create_access_token(user) for _ in range(3))
    revoke_token(revoked)

    with django_assert_num_queries(0):
        response = client.get("/flavours/sync/protected", **bearer(valid))
    assert response.status_code == 200
    assert response.json()["identity"] == str(user.pk)

    with django_assert_num_queries(0):
        response = client.get("/flavours/sync/protected", **bearer(revoked))
    assert (response.status_code, response.json()) == (401, REVOKED)

    revoke_user_tokens(user)
    with django_assert_num_queries(0):
        response = client.get("/flavours/sync/protected", **bearer(logged_out))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_cache_backend_with_user_lookup_costs_only_the_user_query(
    settings, isolated_cache, client, user, django_assert_num_queries
):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    token = create_access_token(user)
    with django_assert_num_queries(1):
        response = client.get("/api/protected", **bearer(token))
    assert response.status_code == 200


def test_refresh_with_rotation_on_the_database_backend(rotation, client, user):
    refresh = create_refresh_token(user)
    record_refresh_token(refresh, user)  # as the login that issued it did
    # Measured: 4 queries, the budget's upper end, and no transaction.
    # 1. SELECT user with the revocation state, family included (pipeline);
    # 2. SELECT family, user_id, used_at, family revoked of the presented token;
    # 3. INSERT the successor into that family;
    # 4. UPDATE issued token SET used_at WHERE jti = ... AND used_at IS NULL
    #    (the atomic consume, after the successor exists, so a concurrent
    #    loser revokes a family that holds it).
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/refresh", **bearer(refresh))
    assert response.status_code == 200
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements == [
        "SELECT",
        "SELECT",
        "INSERT",
        "UPDATE",
    ]


def test_creating_a_refresh_token_is_pure_and_recording_it_one_query(
    user, django_assert_num_queries
):
    with django_assert_num_queries(0):
        token = create_refresh_token(user)
    assert not IssuedRefreshToken.objects.exists()
    with django_assert_num_queries(1):
        record_refresh_token(token, user)
    issued = IssuedRefreshToken.objects.get()
    assert (issued.jti, issued.user) == (decode_token(token)["jti"], user)
    assert issued.issued_at.timestamp() == decode_token(token)["iat"]
