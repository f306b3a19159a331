"""The refresh endpoint (``django_jwt_ext:refresh``): a refresh token in, an access token out.

With ``JWT_REFRESH_TOKEN_ROTATION`` the refresh token is exchanged too, once.
"""

import time
import uuid

import jwt as pyjwt
import pytest
from django.urls import reverse

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.models import IssuedRefreshToken
from django_jwt_ext.revocation import record_refresh_token, revoke_token
from tests.conftest import SECRET
from tests.revocation_support import (  # noqa: F401 (fixtures)
    REVOKED,
    backend_path_fixture,
    bearer,
    isolated_cache_fixture,
    revocations_fixture,
    rotation_fixture,
)

pytestmark = pytest.mark.django_db

CHALLENGE = 'Bearer realm="api"'


def post_refresh(client, token=None, **extra):
    if token is not None:
        extra.update(bearer(token))
    return client.post(reverse("django_jwt_ext:refresh"), **extra)


def get_protected(client, token):
    return client.get("/api/protected", **bearer(token))


def login(client):
    """Log alice in through the obtain endpoint (sets the cookies in cookie mode)."""
    response = client.post(
        reverse("django_jwt_ext:obtain"),
        {"username": "alice", "password": "alice-password"},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def cookies(settings):
    """Tokens in cookies only, so nothing but the cookie can authenticate."""
    settings.JWT_TOKEN_LOCATION = ["cookies"]


# Without rotation (the default).


def test_refresh_token_gives_a_non_fresh_access_token(client, user, refresh_token):
    response = post_refresh(client, refresh_token)

    assert response.status_code == 200
    assert list(response.json()) == ["access_token"]
    claims = decode_token(response.json()["access_token"])
    assert (claims["type"], claims["fresh"], claims["sub"]) == ("access", False, str(user.pk))
    assert not response.cookies  # Header mode.
    assert get_protected(client, response.json()["access_token"]).status_code == 200


def test_refresh_token_can_be_used_again_without_rotation(client, user, refresh_token):
    first, second = post_refresh(client, refresh_token), post_refresh(client, refresh_token)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["access_token"] != second.json()["access_token"]


def test_new_access_token_is_refused_where_a_fresh_one_is_required(client, user, refresh_token):
    access = post_refresh(client, refresh_token).json()["access_token"]
    response = client.post("/api/logout-everywhere", **bearer(access))
    assert (response.status_code, response.json()) == (401, {"msg": "Fresh token required"})


def test_additional_claims_loader_applies_to_the_new_access_token(
    client, user, refresh_token, manager
):
    @manager.additional_claims_loader
    def add_claims(identity):
        return {"tenant": f"t-{identity}"}

    # With a user lookup the loader receives the user, as it did at login.
    access = post_refresh(client, refresh_token).json()["access_token"]
    assert decode_token(access)["tenant"] == f"t-{user}"
    assert decode_token(access)["tenant"] == add_claims(user)["tenant"]


def test_access_token_is_refused(client, access_token):
    response = post_refresh(client, access_token)
    assert (response.status_code, response.json()) == (
        422,
        {"msg": "Only refresh tokens are allowed"},
    )


def test_no_token_is_refused(client, user):
    response = post_refresh(client)
    assert (response.status_code, response.json()) == (401, {"msg": "Missing Authorization Header"})
    assert response["WWW-Authenticate"] == CHALLENGE


def test_expired_refresh_token_is_refused(client, user):
    expired = create_refresh_token(user, expires_delta=-10)
    response = post_refresh(client, expired)
    assert (response.status_code, response.json()) == (401, {"msg": "Token has expired"})


def test_refresh_token_of_an_inactive_user_is_refused(client, user):
    token = create_refresh_token(user)
    user.is_active = False
    user.save()
    response = post_refresh(client, token)
    assert (response.status_code, response.json()) == (
        401,
        {"msg": f"Error loading the user {user.pk}"},
    )


def test_revoked_refresh_token_is_refused(backend_path, client, user, refresh_token):
    revoke_token(refresh_token)
    assert (post_refresh(client, refresh_token).json()) == REVOKED


# Rotation.


def test_rotation_also_gives_a_new_refresh_token(rotation, client, user, refresh_token):
    response = post_refresh(client, refresh_token)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token"}
    access, successor = decode_token(body["access_token"]), decode_token(body["refresh_token"])
    assert (access["type"], access["fresh"], access["sub"]) == ("access", False, str(user.pk))
    assert (successor["type"], successor["sub"]) == ("refresh", str(user.pk))
    assert successor["jti"] != decode_token(refresh_token)["jti"]
    assert get_protected(client, body["access_token"]).status_code == 200


def test_rotation_chain_works_and_every_replay_is_refused(
    backend_path, rotation, client, user, refresh_token, revocations
):
    chain = [refresh_token]
    for _ in range(3):
        response = post_refresh(client, chain[-1])
        assert response.status_code == 200
        chain.append(response.json()["refresh_token"])
    assert len({decode_token(token)["jti"] for token in chain}) == 4
    assert revocations == []

    # Replaying an exchanged token revokes the whole family, the last successor included.
    response = post_refresh(client, chain[1])
    assert (response.status_code, response.json()) == (401, REVOKED)
    assert response["WWW-Authenticate"] == CHALLENGE
    response = post_refresh(client, chain[-1])
    assert (response.status_code, response.json()) == (401, REVOKED)
    assert revocations  # the revocation was signalled


def test_replayed_refresh_token_revokes_its_successor(
    backend_path, rotation, client, user, refresh_token
):
    successor = post_refresh(client, refresh_token).json()["refresh_token"]

    replay = post_refresh(client, refresh_token)
    assert (replay.status_code, replay.json()) == (401, REVOKED)
    assert not replay.cookies

    response = post_refresh(client, successor)
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_replay_leaves_other_sessions_alone(backend_path, rotation, client, user):
    stolen, other_device = create_refresh_token(user), create_refresh_token(user)
    post_refresh(client, stolen)
    assert post_refresh(client, stolen).json() == REVOKED

    response = post_refresh(client, other_device)
    assert response.status_code == 200
    assert post_refresh(client, response.json()["refresh_token"]).status_code == 200


def test_rotation_of_a_refresh_token_issued_elsewhere_starts_a_family(
    backend_path, rotation, client, user
):
    # Signed with the project's key but never recorded by the store (issued by
    # another service, or before the store existed).
    now = int(time.time())
    foreign = pyjwt.encode(
        {
            "fresh": False,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "jti": str(uuid.uuid4()),
            "type": "refresh",
            "sub": str(user.pk),
        },
        SECRET,
        algorithm="HS256",
    )

    successor = post_refresh(client, foreign).json()["refresh_token"]
    assert post_refresh(client, foreign).json() == REVOKED
    assert post_refresh(client, successor).json() == REVOKED


# Cookies and the double submit.


def csrf_header(value):
    return {"HTTP_X_CSRF_TOKEN": value}


def test_cookie_refresh_sets_a_new_access_cookie(cookies, csrf_client, user):
    login(csrf_client)
    old_refresh_cookie = csrf_client.cookies["refresh_token_cookie"].value

    response = post_refresh(
        csrf_client, **csrf_header(csrf_client.cookies["csrf_refresh_token"].value)
    )

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token"]
    assert sorted(response.cookies) == ["access_token_cookie", "csrf_access_token"]
    cookie = response.cookies["access_token_cookie"]
    assert cookie.value == body["access_token"]
    assert cookie["httponly"] is True
    assert not response.cookies["csrf_access_token"]["httponly"]
    assert response.cookies["csrf_access_token"].value == decode_token(cookie.value)["csrf"]
    # The client's refresh cookie is untouched and the new access cookie works.
    assert csrf_client.cookies["refresh_token_cookie"].value == old_refresh_cookie
    assert csrf_client.get("/api/protected").status_code == 200


def test_cookie_refresh_with_rotation_replaces_the_refresh_cookie(
    backend_path, rotation, cookies, csrf_client, user
):
    old_refresh = login(csrf_client)["refresh_token"]

    response = post_refresh(
        csrf_client, **csrf_header(csrf_client.cookies["csrf_refresh_token"].value)
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token"}
    assert sorted(response.cookies) == sorted(
        ["access_token_cookie", "csrf_access_token", "refresh_token_cookie", "csrf_refresh_token"]
    )
    assert response.cookies["refresh_token_cookie"].value == body["refresh_token"]
    assert response.cookies["refresh_token_cookie"]["httponly"] is True
    assert (
        response.cookies["csrf_refresh_token"].value == decode_token(body["refresh_token"])["csrf"]
    )

    # The client now holds the successor: it refreshes again with the new CSRF value.
    again = post_refresh(
        csrf_client, **csrf_header(csrf_client.cookies["csrf_refresh_token"].value)
    )
    assert again.status_code == 200
    assert csrf_client.cookies["refresh_token_cookie"].value == again.json()["refresh_token"]
    assert again.json()["refresh_token"] not in (old_refresh, body["refresh_token"])


def test_cookie_refresh_without_the_csrf_header_is_refused(cookies, csrf_client, user):
    login(csrf_client)
    response = post_refresh(csrf_client)
    assert (response.status_code, response.json()) == (401, {"msg": "Missing CSRF token"})
    assert response["WWW-Authenticate"] == CHALLENGE
    assert not response.cookies


@pytest.mark.parametrize("wrong", ["access-csrf-value", "random"])
def test_cookie_refresh_with_a_wrong_csrf_header_is_refused(cookies, csrf_client, user, wrong):
    login(csrf_client)
    value = (
        csrf_client.cookies["csrf_access_token"].value
        if wrong == "access-csrf-value"
        else str(uuid.uuid4())
    )
    response = post_refresh(csrf_client, **csrf_header(value))
    assert (response.status_code, response.json()) == (
        401,
        {"msg": "CSRF double submit tokens do not match"},
    )
    assert not response.cookies


def test_cookie_refresh_without_a_refresh_cookie_is_refused(cookies, csrf_client, user):
    # Only the access cookie: it cannot stand in for the refresh token.
    csrf_client.cookies["access_token_cookie"] = create_access_token(user)
    response = post_refresh(csrf_client, **csrf_header("anything"))
    # No refresh token: the endpoint's 401, never Django's 403 page (DESIGN.md 3.3).
    assert (response.status_code, response.json()) == (
        401,
        {"msg": 'Missing cookie "refresh_token_cookie"'},
    )


def test_cookie_refresh_with_rotation_replay_is_refused_without_new_cookies(
    rotation, cookies, csrf_client, client, user
):
    tokens = login(csrf_client)
    csrf_value = csrf_client.cookies["csrf_refresh_token"].value
    assert post_refresh(csrf_client, **csrf_header(csrf_value)).status_code == 200

    # An attacker replays the stolen first cookie with its CSRF value.
    client.cookies["refresh_token_cookie"] = tokens["refresh_token"]
    replay = post_refresh(client, **csrf_header(csrf_value))
    assert (replay.status_code, replay.json()) == (401, REVOKED)
    assert not replay.cookies


# Query budget.


def test_rotation_query_count(rotation, client, user, refresh_token, django_assert_num_queries):
    record_refresh_token(refresh_token, user)  # as the login that issued it did
    # 4 queries, no transaction:
    # 1. SELECT the user with the revocation state (the pipeline, one round trip);
    # 2. SELECT the family, user id, use and family revocation of the presented token;
    # 3. INSERT the successor into that family;
    # 4. UPDATE the issued token SET used_at WHERE used_at IS NULL (the atomic
    #    consume, after the successor exists so that a concurrent loser
    #    revokes a family holding it).
    with django_assert_num_queries(4) as captured:
        response = post_refresh(client, refresh_token)
    assert response.status_code == 200
    verbs = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    assert verbs == ["SELECT", "SELECT", "INSERT", "UPDATE"]
    assert IssuedRefreshToken.objects.count() == 2
