"""One contract, three stores: every revocation backend answers the same way."""

import io
import time
import uuid
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.models import IssuedRefreshToken, RevokedToken
from django_jwt_ext.revocation import (
    TokenRecord,
    get_backend,
    is_token_revoked,
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
    wait_until_issuable,
)
from django_jwt_ext.revocation.db import DatabaseBackend
from django_jwt_ext.signals import token_revoked
from tests.helpers import FLAVOURS, flavour_path
from tests.revocation_support import (  # noqa: F401 (fixtures)
    CACHED_DB_BACKEND,
    DATABASE_BACKENDS,
    REVOKED,
    backend_path_fixture,
    bearer,
    early_in_a_second,
    isolated_cache_fixture,
    revocations_fixture,
    rotation_fixture,
)

pytestmark = pytest.mark.django_db


def get_protected(client, token):
    return client.get("/api/protected", **bearer(token))


def post_refresh(client, token):
    return client.post("/api/refresh", **bearer(token))


def uses_database(path):
    return path in DATABASE_BACKENDS.values()


# revoke_token / is_token_revoked


@pytest.mark.parametrize("form", ["encoded", "claims"])
def test_revoke_token_is_idempotent_and_signals_once(
    backend_path, user, access_token, revocations, form
):
    claims = decode_token(access_token)
    token = access_token if form == "encoded" else dict(claims)

    assert revoke_token(token, reason="logout") is True
    assert revoke_token(token, reason="logout again") is False

    assert revocations == [
        {
            "sender": type(get_backend()),
            "signal": token_revoked,
            "jti": claims["jti"],
            "token_type": "access",
            "identity": str(user.pk),
            "reason": "logout",
            "family": None,
        }
    ]


def test_is_token_revoked_concerns_only_the_revoked_token(backend_path, user):
    revoked, other = create_access_token(user), create_access_token(user)
    refresh = create_refresh_token(user)
    assert is_token_revoked(decode_token(revoked)) is False

    revoke_token(revoked)

    assert is_token_revoked(decode_token(revoked)) is True
    assert is_token_revoked(decode_token(other)) is False
    assert is_token_revoked(decode_token(refresh)) is False


def test_protected_view_refuses_a_revoked_token_and_accepts_the_others(backend_path, client, user):
    revoked, other = create_access_token(user), create_access_token(user)
    assert get_protected(client, revoked).status_code == 200

    revoke_token(revoked, reason="test")

    response = get_protected(client, revoked)
    assert response.status_code == 401
    assert response.json() == REVOKED
    response = get_protected(client, other)
    assert response.status_code == 200
    assert response.json()["logged_in_as"] == "alice"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_view_flavour_refuses_a_revoked_token(backend_path, client, user, flavour):
    token = create_access_token(user)
    revoke_token(token)
    response = client.get(flavour_path(flavour), **bearer(token))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_revoked_refresh_token_cannot_refresh(backend_path, client, user, refresh_token):
    revoke_token(refresh_token, reason="test")
    response = post_refresh(client, refresh_token)
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_logout_view_revokes_the_presented_token(backend_path, client, user):
    token, other = create_access_token(user), create_access_token(user)
    response = client.post("/api/logout", **bearer(token))
    assert (response.status_code, response.json()) == (200, {"msg": "Logged out"})
    assert get_protected(client, token).json() == REVOKED
    assert get_protected(client, other).status_code == 200


# revoke_user_tokens (logout everywhere)


def test_logout_everywhere_revokes_every_token_of_its_second(
    backend_path, client, user, django_user_model, revocations
):
    """iat is in whole seconds: a token of the logout's own second may predate it,
    so it is revoked (fail closed), whether minted just before or just after."""
    bob = django_user_model.objects.create_user("bob", password="bob-password")
    early_in_a_second()
    access_before, refresh_before = create_access_token(user), create_refresh_token(user)
    bob_access = create_access_token(bob)

    revoke_user_tokens(user, reason="stolen laptop")

    access_after, refresh_after = create_access_token(user), create_refresh_token(user)
    issued = [
        decode_token(t)["iat"] for t in (access_before, refresh_before, access_after, refresh_after)
    ]
    # The point of the test: all four share one whole second.
    assert len(set(issued)) == 1 and all(type(iat) is int for iat in issued)

    for token in (access_before, refresh_before, access_after, refresh_after):
        assert is_token_revoked(decode_token(token)) is True
    assert get_protected(client, access_before).json() == REVOKED
    assert post_refresh(client, refresh_before).json() == REVOKED
    assert get_protected(client, bob_access).status_code == 200
    assert [(s["jti"], s["identity"], s["reason"]) for s in revocations] == [
        (None, str(user.pk), "stolen laptop")
    ]


def test_the_issuing_step_waits_out_the_logouts_second_once(backend_path, client, user):
    """A user who logs in again right after a logout everywhere is not stuck: the
    issuing step waits for the next second, less than a second, and only then."""
    early_in_a_second()
    revoke_user_tokens(user)
    logout_second = int(time.time())

    started = time.monotonic()
    wait_until_issuable(user)
    waited = time.monotonic() - started
    access, refresh = create_access_token(user), create_refresh_token(user)

    assert 0 < waited < 1
    assert decode_token(access)["iat"] == logout_second + 1
    assert get_protected(client, access).status_code == 200
    assert post_refresh(client, refresh).status_code == 200
    # Once past that second, nothing to wait for.
    started = time.monotonic()
    wait_until_issuable(user)
    assert time.monotonic() - started < 0.05


def test_logout_everywhere_view(backend_path, client, user):
    fresh = create_access_token(user, fresh=True)
    other = create_access_token(user)
    response = client.post("/api/logout-everywhere", **bearer(fresh))
    assert response.status_code == 200
    assert get_protected(client, fresh).json() == REVOKED
    assert get_protected(client, other).json() == REVOKED


def test_logout_everywhere_accepts_an_identity_value(backend_path, client, user):
    token = create_access_token(user)
    revoke_user_tokens(str(user.pk))
    assert get_protected(client, token).json() == REVOKED


def test_revocations_outlive_the_deletion_of_their_user(backend_path, settings, client, user):
    # Stateless mode: nothing but the store stands between a revoked token and the view.
    settings.JWT_USER_LOOKUP = None
    revoked, logged_out = create_access_token(user), create_access_token(user)
    revoke_token(revoked)
    revoke_user_tokens(user)
    user.delete()
    for token in (revoked, logged_out):
        response = client.get("/flavours/sync/protected", **bearer(token))
        assert (response.status_code, response.json()) == (401, REVOKED)


# Refresh-token rotation


def test_refresh_rotation_and_reuse_revokes_the_family(
    backend_path, rotation, client, user, refresh_token
):
    first = post_refresh(client, refresh_token)
    assert first.status_code == 200
    assert set(first.json()) == {"access_token", "refresh_token"}
    child = first.json()["refresh_token"]
    new_access = first.json()["access_token"]
    assert decode_token(child)["type"] == "refresh"
    assert decode_token(child)["jti"] != decode_token(refresh_token)["jti"]
    assert get_protected(client, new_access).status_code == 200

    second = post_refresh(client, child)
    assert second.status_code == 200
    grandchild = second.json()["refresh_token"]

    # The original token comes back (stolen and replayed): the whole family dies.
    replay = post_refresh(client, refresh_token)
    assert (replay.status_code, replay.json()) == (401, REVOKED)
    for member in (refresh_token, child, grandchild):
        assert post_refresh(client, member).json() == REVOKED
        assert is_token_revoked(decode_token(member)) is True


def test_a_replay_signals_each_revoked_token_once(
    backend_path, rotation, client, user, revocations
):
    refresh = create_refresh_token(user)
    assert post_refresh(client, refresh).status_code == 200
    assert revocations == []

    assert post_refresh(client, refresh).status_code == 401

    jtis = [signal["jti"] for signal in revocations]
    assert decode_token(refresh)["jti"] in jtis
    assert len(jtis) == len(set(jtis)), revocations
    assert {signal["reason"] for signal in revocations} == {"Refresh token reused"}


def test_reuse_does_not_touch_other_families(backend_path, rotation, client, user):
    stolen, other_session = create_refresh_token(user), create_refresh_token(user)
    assert post_refresh(client, stolen).status_code == 200
    assert post_refresh(client, stolen).status_code == 401
    assert post_refresh(client, other_session).status_code == 200


# Purge


def test_purge_removes_expired_rows_only(backend_path, client, user):
    expired_access = create_access_token(user, expires_delta=timedelta(seconds=-60))
    live_access = create_access_token(user)
    expired_refresh = create_refresh_token(user, expires_delta=timedelta(seconds=-60))
    live_refresh = create_refresh_token(user)
    record_refresh_token(expired_refresh, user)
    record_refresh_token(live_refresh, user)
    revoke_token(expired_access)
    revoke_token(live_access)
    out = io.StringIO()

    call_command("jwt_ext_purge", stdout=out)

    if uses_database(backend_path):
        assert out.getvalue() == "Deleted 2 expired record(s).\n"
        assert list(RevokedToken.objects.values_list("jti", flat=True)) == [
            decode_token(live_access)["jti"]
        ]
        assert list(IssuedRefreshToken.objects.values_list("jti", flat=True)) == [
            decode_token(live_refresh)["jti"]
        ]
    else:
        # Cache entries expire with their tokens: nothing to delete.
        assert out.getvalue() == "Deleted 0 expired record(s).\n"
    assert get_protected(client, live_access).json() == REVOKED
    assert post_refresh(client, live_refresh).status_code == 200


def test_purge_keeps_revocations_of_tokens_still_accepted_within_the_leeway(
    backend_path, settings, client, user
):
    settings.JWT_DECODE_LEEWAY = 60
    # Expired ten seconds ago, still accepted for fifty more because of the leeway.
    token = create_access_token(user, expires_delta=timedelta(seconds=-10))
    assert get_protected(client, token).status_code == 200
    revoke_token(token)

    call_command("jwt_ext_purge", stdout=io.StringIO())

    response = get_protected(client, token)
    assert (response.status_code, response.json()) == (401, REVOKED)


# A registered token_in_blocklist_loader replaces the store.


def test_registered_blocklist_loader_replaces_the_store(backend_path, manager, client, user):
    revoked_in_store, fresh_token = create_access_token(user), create_access_token(user)
    revoke_token(revoked_in_store)
    asked = []

    @manager.token_in_blocklist_loader
    def in_blocklist(jwt_header, jwt_data):
        asked.append(jwt_data["jti"])
        return jwt_data["jti"] == decode_token(fresh_token)["jti"]

    # Neither the backend's checks nor its tables are consulted.
    backend = get_backend()
    consulted = AssertionError("store consulted")
    with (
        mock.patch.object(backend, "is_revoked", side_effect=consulted),
        mock.patch.object(backend, "user_and_revocation", side_effect=consulted),
        CaptureQueriesContext(connection) as queries,
    ):
        accepted = get_protected(client, revoked_in_store)
        refused = get_protected(client, fresh_token)

    assert [q["sql"] for q in queries.captured_queries if "django_jwt_ext_" in q["sql"]] == []
    assert accepted.status_code == 200
    assert (refused.status_code, refused.json()) == (401, REVOKED)
    assert asked == [decode_token(revoked_in_store)["jti"], decode_token(fresh_token)["jti"]]


# Async twins


def test_async_twins_give_the_same_answers(backend_path, user):
    backend = get_backend()
    record = TokenRecord.from_claims(decode_token(create_access_token(user)))
    other = TokenRecord.from_claims(decode_token(create_access_token(user)))
    expired_token = create_access_token(user, expires_delta=timedelta(seconds=-60))
    expired = TokenRecord.from_claims(decode_token(expired_token, allow_expired=True))
    refresh = TokenRecord.from_claims(decode_token(create_refresh_token(user)))

    assert async_to_sync(backend.ais_revoked)(record) is False
    assert async_to_sync(backend.arevoke)(record, "async") is True
    assert async_to_sync(backend.arevoke)(record, "async again") is False
    assert async_to_sync(backend.ais_revoked)(record) is backend.is_revoked(record) is True
    assert async_to_sync(backend.ais_revoked)(other) is backend.is_revoked(other) is False

    family, _ = async_to_sync(backend.arefresh_lineage)(refresh)
    assert isinstance(family, uuid.UUID)
    assert async_to_sync(backend.aconsume_refresh_token)(refresh, family) is True
    assert async_to_sync(backend.aconsume_refresh_token)(refresh, family) is False
    assert async_to_sync(backend.arefresh_lineage)(refresh) is None

    async_to_sync(backend.arevoke)(expired, "expired")
    purged = async_to_sync(backend.apurge_expired)(batch_size=10)
    assert purged == (1 if uses_database(backend_path) else 0)
    assert backend.purge_expired(batch_size=10) == 0

    async_to_sync(backend.arevoke_identity)(
        str(user.pk), datetime.now(timezone.utc), "everywhere", user
    )
    assert async_to_sync(backend.ais_revoked)(other) is backend.is_revoked(other) is True


# CachedDatabaseBackend: the cache in front must never hide a revocation.


def test_cached_db_read_through_never_hides_a_concurrent_revocation(settings, isolated_cache, user):
    settings.JWT_REVOCATION_BACKEND = CACHED_DB_BACKEND
    claims = decode_token(create_access_token(user))
    read_database = DatabaseBackend.state

    def read_then_revoked_by_another_server(self, token):
        state = read_database(self, token)  # "not revoked"
        revoke_token(claims, reason="revoked meanwhile")  # database and cache say revoked
        return state  # ... and this server now caches its stale answer

    with mock.patch.object(DatabaseBackend, "state", read_then_revoked_by_another_server):
        is_token_revoked(claims)

    assert is_token_revoked(claims) is True
