"""The contract every revocation backend keeps (revocation/base.py), on each backend.

Each test here was written from a defect a security review reproduced, and
failed before the design that fixed it. They run on SQLite and the
local-memory cache, and on PostgreSQL and Redis when DATABASE_URL and
REDIS_URL are set (``.ci/run``).
"""

import asyncio
import io
import time
import uuid
from datetime import datetime, timedelta, timezone
from unittest import mock

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
)
from django_jwt_ext.exceptions import StoreUnavailableError, TokenNotRevocableError
from django_jwt_ext.models import IssuedRefreshToken, RevokedToken
from django_jwt_ext.revocation import (
    get_backend,
    is_token_revoked,
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
)
from django_jwt_ext.revocation.cache import family_ttl
from django_jwt_ext.revocation.records import TokenRecord, identity_key, storable
from tests.conftest import SECRET
from tests.revocation_support import (  # noqa: F401 (fixtures)
    CACHE_BACKEND,
    CACHED_DB_BACKEND,
    DATABASE_BACKENDS,
    REVOKED,
    backend_path_fixture,
    bearer,
    isolated_cache_fixture,
    rotation_fixture,
)

pytestmark = pytest.mark.django_db


def refresh(client, token):
    return client.post(reverse("django_jwt_ext:refresh"), **bearer(token))


def protected(client, token):
    return client.get("/api/protected", **bearer(token))


def login(client, username="alice", password="alice-password"):
    response = client.post(
        reverse("django_jwt_ext:obtain"),
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def signed(claims, **header):
    """A token with exactly ``claims``, signed with the server's key."""
    return jwt.encode(claims, SECRET, algorithm="HS256", headers=header or None)


def standard(**claims):
    now = int(time.time())
    return {
        "sub": "1",
        "iat": now,
        "nbf": now,
        "jti": str(uuid.uuid4()),
        "type": "access",
        "fresh": False,
        "exp": now + 900,
        **claims,
    }


# 1. A revoked family stays revoked for every member, present and future.


class Replay:
    """Replay ``token`` at the refresh endpoint when called, once."""

    def __init__(self, token):
        self.token, self.response = token, None

    def __call__(self):
        if self.response is None:
            self.response = refresh(Client(), self.token)


@pytest.mark.parametrize("moment", ["before-record", "before-consume", "after-consume"])
def test_family_revoked_while_an_exchange_is_in_flight_stays_revoked(
    backend_path, rotation, client, user, moment
):
    """r0 -> r1; r1's exchange is in flight while r0 is replayed. Whatever the
    moment of the replay, no token of the family works afterwards."""
    r0 = login(client)["refresh_token"]
    r1 = refresh(client, r0).json()["refresh_token"]
    replay = Replay(r0)
    backend_class = type(get_backend())
    method = {
        "before-record": "record_refresh_token",
        "before-consume": "consume_refresh_token",
        "after-consume": "consume_refresh_token",
    }[moment]
    real = getattr(backend_class, method)

    def interleaved(self, *args):
        if moment != "after-consume":
            replay()
        outcome = real(self, *args)
        if moment == "after-consume":
            replay()
        return outcome

    with mock.patch.object(backend_class, method, interleaved):
        exchange = refresh(client, r1)

    assert (replay.response.status_code, replay.response.json()) == (401, REVOKED)
    if exchange.status_code == 200:
        # It completed before the family was revoked: what it returned is refused.
        r2 = exchange.json()["refresh_token"]
        assert (refresh(client, r2).status_code, refresh(client, r2).json()) == (401, REVOKED)
    else:
        assert (exchange.status_code, exchange.json()) == (401, REVOKED)
    assert refresh(client, r1).json() == REVOKED
    assert refresh(client, r0).json() == REVOKED


def test_member_recorded_into_a_revoked_family_is_revoked(backend_path, user):
    token = create_refresh_token(user)
    record = TokenRecord.from_claims(decode_token(token))
    backend = get_backend()
    family = uuid.uuid4()
    backend.record_refresh_token(record, family)
    backend.revoke_family(family, "test", record)

    late = TokenRecord.from_claims(decode_token(create_refresh_token(user)))
    backend.record_refresh_token(late, family)
    assert backend.is_revoked(late) is True
    assert backend.consume_refresh_token(late, family) is False


def test_concurrent_first_exchanges_of_an_unrecorded_token_share_one_family(
    backend_path, rotation, user
):
    """Two exchanges of a token the store never saw: both must see the family the
    first one recorded, so the loser revokes the winner's family."""
    claims = decode_token(create_refresh_token(user))
    record = TokenRecord.from_claims(claims)
    backend = get_backend()
    first, second = backend.refresh_lineage(record), backend.refresh_lineage(record)
    assert first is not None and second is not None
    assert first[0] == second[0]

    successor = TokenRecord.from_claims(decode_token(create_refresh_token(user)))
    backend.record_refresh_token(successor, first[0])
    assert backend.consume_refresh_token(record, first[0]) is True
    assert backend.consume_refresh_token(record, second[0]) is False
    assert backend.is_revoked(successor) is True


# 2. No TTL shortcut: without exp, kept until purged; the family outlives its members.


def test_revoked_token_without_exp_stays_revoked(backend_path, client, user):
    token = create_access_token(user, expires_delta=False)
    revoke_token(token)
    time.sleep(1.2)  # The review's cache backend forgot it after a second.
    assert protected(client, token).json() == REVOKED
    assert is_token_revoked(decode_token(token)) is True


def test_spent_refresh_token_without_exp_is_still_spent_later(backend_path, rotation, client, user):
    r0 = create_refresh_token(user, expires_delta=False)
    record_refresh_token(r0, user)
    r1 = refresh(client, r0).json()["refresh_token"]
    time.sleep(1.2)
    assert refresh(client, r0).json() == REVOKED
    assert refresh(client, r1).json() == REVOKED  # Its family went with it.


def test_cache_family_marker_lives_as_long_as_its_longest_member(settings):
    settings.JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    settings.JWT_DECODE_LEEWAY = 10
    in_90_days = (datetime.now(timezone.utc) + timedelta(days=90)).timestamp()
    # A member with a longer expires_delta than the setting keeps the marker.
    assert family_ttl(in_90_days) >= 90 * 86400 + 10 - 1
    # A short-lived member: a successor still in flight gets a full lifetime.
    assert family_ttl(time.time() + 60) >= 30 * 86400 + 10 - 1
    assert family_ttl("never") is None
    settings.JWT_REFRESH_TOKEN_EXPIRES = False
    assert family_ttl(time.time() + 60) is None


def test_cache_family_marker_outlives_the_refresh_setting(settings, isolated_cache, rotation, user):
    """A login with a longer expires_delta than JWT_REFRESH_TOKEN_EXPIRES: its family's
    revocation must last as long as that token."""
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.JWT_REFRESH_TOKEN_EXPIRES = 1
    client = Client()
    r0 = create_refresh_token(user, expires_delta=timedelta(seconds=30))
    record_refresh_token(r0, user)
    r1 = refresh(client, r0).json()["refresh_token"]
    assert refresh(client, r0).json() == REVOKED  # replay: family revoked
    time.sleep(2.2)  # past the setting's lifetime (and r1's), well within r0's
    assert refresh(client, r0).json() == REVOKED
    # r1 had the setting's lifetime: expired now, so it cannot be presented at all.
    assert refresh(client, r1).json() == {"msg": "Token has expired"}


# 4. One canonical identity: the user lookup and the store agree on who a sub is.


@pytest.mark.parametrize("spelling", ["0{pk}", "+{pk}", " {pk}", "{pk}\n", "{pk} ", "{arabic}"])
def test_non_canonical_sub_names_no_user(backend_path, client, user, spelling):
    arabic = "".join(chr(0x0660 + int(digit)) for digit in str(user.pk))
    sub = spelling.format(pk=user.pk, arabic=arabic)
    token = signed(standard(sub=sub))
    response = protected(client, token)
    assert (response.status_code, response.json()) == (
        401,
        {"msg": f"Error loading the user {sub}"},
    )
    revoke_user_tokens(user)
    assert protected(client, token).status_code == 401


def test_integer_sub_is_the_same_identity_as_its_string(backend_path, settings, client, user):
    settings.JWT_VERIFY_SUB = False
    token = signed(standard(sub=user.pk))
    assert protected(client, token).status_code == 200
    revoke_user_tokens(user)
    assert protected(client, token).json() == REVOKED
    assert identity_key(user.pk) == identity_key(str(user.pk))


# 5. Logout everywhere uses the manager's user -> identity mapping.


@pytest.fixture
def usernames_as_identities(manager):
    manager.user_identity_loader(lambda user: user.username)
    manager.user_lookup_loader(
        lambda header, claims: get_user_model().objects.filter(username=claims["sub"]).first()
    )
    return manager


@pytest.mark.parametrize("path", ["api", "admin", "command"])
def test_logout_everywhere_follows_the_user_identity_loader(
    backend_path, usernames_as_identities, client, admin_client, user, path
):
    token = create_access_token(user)
    refresh_token = create_refresh_token(user)
    record_refresh_token(refresh_token, user)
    assert decode_token(token)["sub"] == "alice"
    assert protected(client, token).status_code == 200

    if path == "api":
        revoke_user_tokens(user)
    elif path == "command":
        call_command("jwt_ext_revoke", "alice", stdout=io.StringIO())
    else:
        if backend_path == CACHE_BACKEND:
            revoke_user_tokens(user)  # No admin rows to act on with the cache backend.
        else:
            issued = IssuedRefreshToken.objects.get()
            admin_client.post(
                reverse("admin:django_jwt_ext_issuedrefreshtoken_changelist"),
                {"action": "revoke_users", "_selected_action": [issued.pk]},
            )

    assert protected(client, token).json() == REVOKED
    assert is_token_revoked(decode_token(refresh_token)) is True


# 6. Claims signed with the server's key but hostile: never a 500, never unrevocable.

HOSTILE_EXP = {
    "1e300": 1e300,
    "2**63": 2**63,
    "milliseconds": int(time.time() * 1000) + 900_000,
    "year-10000": 253402300800 + 86400,
}


@pytest.mark.parametrize("exp", list(HOSTILE_EXP.values()), ids=list(HOSTILE_EXP))
def test_absurd_exp_is_stored_safely_and_revocable(backend_path, client, user, exp):
    token = signed(standard(sub=str(user.pk), exp=exp))
    assert protected(client, token).status_code == 200
    assert revoke_token(token) is True
    assert protected(client, token).json() == REVOKED
    # Beyond what a datetime holds: kept as "never expires", the safe side.
    assert TokenRecord.from_claims(decode_token(token)).ttl() is None


HOSTILE_STRINGS = {
    "surrogate": "a\udc80b",
    "nul": "a\x00b",
    "long": "x" * 300,
    "digest-lookalike": "sha256:" + "0" * 64,
    "emoji": "🔑" * 40,
}


@pytest.mark.parametrize("value", list(HOSTILE_STRINGS.values()), ids=list(HOSTILE_STRINGS))
@pytest.mark.parametrize("claim", ["jti", "sub"])
def test_hostile_jti_and_sub_are_stored_safely_and_revocable(
    backend_path, settings, client, claim, value
):
    settings.JWT_USER_LOOKUP = None
    token = signed(standard(**{claim: value}))
    flavour = "/flavours/sync/protected"
    assert client.get(flavour, **bearer(token)).status_code == 200
    if claim == "jti":
        assert revoke_token(token) is True
        assert revoke_token(token) is False  # idempotent: the same stored key
    else:
        revoke_user_tokens(value)
    response = client.get(flavour, **bearer(token))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_stored_forms_fit_the_columns_and_never_collide():
    values = ["plain", "a\x00b", "a\udc80b", "x" * 300, "sha256:" + "0" * 64]
    stored = [storable(value, 128) for value in values]
    assert stored[0] == "plain"
    assert all(len(value) <= 128 for value in stored)
    assert len(set(stored)) == len(values)
    assert all("\x00" not in value for value in stored)
    for value in stored:
        value.encode("utf-8")  # Every database and cache can hold it.


def test_hostile_token_rows_are_written_on_the_database(settings, user):
    settings.JWT_USER_LOOKUP = None
    token = signed(standard(jti="j\x00" * 100, sub="s\udc80" * 200))
    revoke_token(token)
    row = RevokedToken.objects.get()
    assert row.jti.startswith("sha256:") and row.identity.startswith("sha256:")


# 7. cached_db is a layer over db.


def test_cached_db_fills_its_cache_with_the_default_user_lookup(
    settings, isolated_cache, client, user, django_assert_num_queries
):
    settings.JWT_REVOCATION_BACKEND = CACHED_DB_BACKEND
    token = create_access_token(user)
    assert protected(client, token).status_code == 200
    revoke_token(token)  # written to the database, then to the cache
    with django_assert_num_queries(0):
        assert protected(client, token).json() == REVOKED


def test_cached_db_survives_a_cache_failure_while_logging_out_everywhere(
    settings, isolated_cache, client, user, caplog
):
    settings.JWT_REVOCATION_BACKEND = CACHED_DB_BACKEND
    settings.JWT_REVOCATION_CACHE_TIMEOUT = 1
    token = create_access_token(user)
    assert protected(client, token).status_code == 200  # caches "never logged out"
    cache_class = type(caches["default"])
    with mock.patch.object(cache_class, "set", side_effect=ConnectionError("cache down")):
        revoke_user_tokens(user)  # the database row is written; no exception
    assert "Revocation cache unreachable" in caplog.text
    # The stale "never logged out" answer lives at most JWT_REVOCATION_CACHE_TIMEOUT.
    time.sleep(1.2)
    assert protected(client, token).json() == REVOKED


# 8. Implicit refresh never turns the view's success into an error.


def test_implicit_refresh_skips_renewal_when_the_store_fails(settings, user, caplog):
    """The request verifies (one fused query), then the store goes down before the
    renewal asks it again: the view's 200 stands, without a new cookie."""
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    client = Client()
    client.cookies["access_token_cookie"] = create_access_token(
        user, expires_delta=timedelta(seconds=60)
    )
    down = StoreUnavailableError("Token store unavailable")
    with mock.patch("django_jwt_ext.revocation.is_token_revoked", side_effect=down):
        response = client.get("/api/whoami")
    assert response.status_code == 200
    assert response.json()["user"] == "alice"
    assert "access_token_cookie" not in response.cookies
    assert "Implicit refresh of the access cookie failed" in caplog.text


# 9. The admin reports every way a token is revoked.


@pytest.mark.parametrize("how", ["jti", "family", "logout-everywhere"])
def test_admin_revoked_column_and_filter_follow_every_revocation(
    settings, isolated_cache, rotation, admin_client, user, how
):
    client = Client()
    issued, other = login(client)["refresh_token"], login(client)["refresh_token"]
    tokens = [issued, other]
    if how == "jti":
        revoke_token(issued)
        expected = {issued}
    elif how == "family":
        successor = refresh(client, issued).json()["refresh_token"]
        tokens.append(successor)
        assert refresh(client, issued).json() == REVOKED  # replay: the family is revoked
        expected = {issued, successor}
    else:
        revoke_user_tokens(user)
        expected = {issued, other}
    by_jti = {decode_token(token)["jti"]: token for token in tokens}
    url = reverse("admin:django_jwt_ext_issuedrefreshtoken_changelist")
    listed = {
        answer: {
            row.jti for row in admin_client.get(f"{url}?revoked={answer}").context["cl"].result_list
        }
        for answer in ("yes", "no")
    }
    assert {by_jti[jti] for jti in listed["yes"]} == expected
    assert {by_jti[jti] for jti in listed["no"]} == set(tokens) - expected
    # The admin and the API agree, row by row.
    for jti, token in by_jti.items():
        assert is_token_revoked(decode_token(token)) is (jti in listed["yes"])


# 10. Creating a token is pure: no store write, usable in async code.


def test_creating_tokens_in_async_code_needs_no_database(user):
    async def issue():
        return create_access_token("alice"), create_refresh_token("alice")

    access, refresh_token = asyncio.run(issue())
    assert decode_token(refresh_token)["type"] == "refresh"
    assert not IssuedRefreshToken.objects.exists()


# 11. A token without jti cannot be revoked on its own, and nobody claims it was.


def test_revoke_token_without_jti_says_so(backend_path, user):
    claims = standard(sub=str(user.pk))
    del claims["jti"]
    with pytest.raises(TokenNotRevocableError):
        revoke_token(signed(claims))


def test_logout_with_a_token_without_jti_answers_422_and_unsets_cookies(backend_path, client, user):
    claims = standard(sub=str(user.pk))
    del claims["jti"]
    token = signed(claims)
    response = client.post(reverse("django_jwt_ext:logout"), **bearer(token))
    assert response.status_code == 422
    assert "cannot be revoked on its own" in response.json()["msg"]
    assert response.cookies["access_token_cookie"].value == ""
    # Logging out everywhere still covers it.
    revoke_user_tokens(user)
    assert protected(client, token).json() == REVOKED
