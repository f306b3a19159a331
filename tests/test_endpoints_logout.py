"""The logout endpoint (``django_jwt_ext:logout``): revoke the session's tokens, unset cookies.

The access token is revoked, and the caller's own refresh token when one
comes along (JSON body, form or refresh cookie); anything else given as a
refresh token is ignored.
"""

import time
import uuid

import jwt as pyjwt
import pytest
from django.urls import reverse

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.revocation import is_token_revoked, revoke_token
from tests.revocation_support import (  # noqa: F401 (fixtures)
    REVOKED,
    backend_path_fixture,
    bearer,
    isolated_cache_fixture,
    revocations_fixture,
)

pytestmark = pytest.mark.django_db

LOGGED_OUT = {"msg": "Logged out"}
EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"
# Cookie name -> whether it is HttpOnly.
JWT_COOKIES = {
    "access_token_cookie": True,
    "refresh_token_cookie": True,
    "csrf_access_token": False,
    "csrf_refresh_token": False,
}


def logout_url():
    return reverse("django_jwt_ext:logout")


def get_protected(client, token):
    return client.get("/api/protected", **bearer(token))


def post_refresh(client, token):
    return client.post(reverse("django_jwt_ext:refresh"), **bearer(token))


def revoked(token):
    return is_token_revoked(decode_token(token, allow_expired=True))


def revoked_jtis(revocations):
    return [sent["jti"] for sent in revocations]


def login(client):
    response = client.post(
        reverse("django_jwt_ext:obtain"),
        {"username": "alice", "password": "alice-password"},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="bob-password")


# The access token.


def test_logout_revokes_the_access_token(backend_path, client, user, revocations):
    token, other = create_access_token(user), create_access_token(user)
    assert get_protected(client, token).status_code == 200

    response = client.post(logout_url(), **bearer(token))

    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert get_protected(client, token).json() == REVOKED
    assert get_protected(client, other).status_code == 200  # another session
    assert revoked_jtis(revocations) == [decode_token(token)["jti"]]
    assert revocations[0]["reason"] == "logout"


def test_second_logout_with_the_same_token_is_refused(backend_path, client, access_token):
    assert client.post(logout_url(), **bearer(access_token)).status_code == 200
    response = client.post(logout_url(), **bearer(access_token))
    assert (response.status_code, response.json()) == (401, REVOKED)


def test_logout_without_a_token_is_refused(client, user):
    response = client.post(logout_url())
    assert (response.status_code, response.json()) == (401, {"msg": "Missing Authorization Header"})
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not response.cookies


def test_logout_with_a_refresh_token_as_bearer_is_refused(client, refresh_token, revocations):
    response = client.post(logout_url(), **bearer(refresh_token))
    assert (response.status_code, response.json()) == (
        422,
        {"msg": "Only non-refresh tokens are allowed"},
    )
    assert revocations == []
    assert post_refresh(client, refresh_token).status_code == 200


# The refresh token that comes along.


def send_refresh(client, access, refresh, carrier):
    """POST to logout with ``access`` as bearer and ``refresh`` in ``carrier``."""
    if carrier == "json":
        return client.post(
            logout_url(),
            {"refresh_token": refresh},
            content_type="application/json",
            **bearer(access),
        )
    if carrier == "form":
        return client.post(logout_url(), {"refresh_token": refresh}, **bearer(access))
    client.cookies["refresh_token_cookie"] = refresh
    return client.post(logout_url(), **bearer(access))


@pytest.mark.parametrize("carrier", ["json", "form", "cookie"])
def test_logout_revokes_the_callers_refresh_token(backend_path, client, user, carrier, revocations):
    access, refresh = create_access_token(user), create_refresh_token(user)
    other_refresh = create_refresh_token(user)

    response = send_refresh(client, access, refresh, carrier)

    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert post_refresh(client, refresh).json() == REVOKED
    assert get_protected(client, access).json() == REVOKED
    assert post_refresh(client, other_refresh).status_code == 200  # another session
    assert sorted(revoked_jtis(revocations)) == sorted(
        [decode_token(access)["jti"], decode_token(refresh)["jti"]]
    )
    assert {sent["reason"] for sent in revocations} == {"logout"}


@pytest.mark.parametrize("carrier", ["json", "form", "cookie"])
def test_logout_ignores_the_refresh_token_of_another_user(
    backend_path, client, user, bob, carrier, revocations
):
    access, bobs_refresh = create_access_token(user), create_refresh_token(bob)

    response = send_refresh(client, access, bobs_refresh, carrier)

    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert revoked_jtis(revocations) == [decode_token(access)["jti"]]
    assert post_refresh(client, bobs_refresh).status_code == 200


def foreign_refresh(user, key):
    now = int(time.time())
    claims = {"fresh": False, "iat": now, "nbf": now, "exp": now + 3600}
    claims.update(jti=str(uuid.uuid4()), type="refresh", sub=str(user.pk))
    return pyjwt.encode(claims, key, algorithm="HS256")


IGNORED = {
    "not-a-token": lambda user: "not-a-token",
    "three-segments": lambda user: "a.b.c",
    "empty": lambda user: "",
    "number": lambda user: 12345,
    "list": lambda user: ["x"],
    "null": lambda user: None,
    "nul-byte": lambda user: "a.b\x00.c",
    "surrogate": lambda user: "\ud800.a.b",
    "other-key": lambda user: foreign_refresh(user, "another-secret-" + "0" * 49),
    # Expired: nothing to protect against any more, so nothing to revoke.
    "expired": lambda user: create_refresh_token(user, expires_delta=-10),
}


@pytest.mark.parametrize("make", IGNORED.values(), ids=IGNORED.keys())
def test_logout_ignores_a_garbage_or_expired_refresh_token(
    backend_path, client, user, make, revocations
):
    access = create_access_token(user)
    response = client.post(
        logout_url(),
        {"refresh_token": make(user)},
        content_type="application/json",
        **bearer(access),
    )
    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    # Only the access token: nothing else was revoked (nor signalled).
    assert revoked_jtis(revocations) == [decode_token(access)["jti"]]


def test_logout_revokes_a_refresh_token_expired_within_the_leeway(
    client, user, settings, revocations
):
    # Still accepted thanks to the leeway, so still worth revoking.
    settings.JWT_DECODE_LEEWAY = 60
    access, refresh = create_access_token(user), create_refresh_token(user, expires_delta=-10)
    assert post_refresh(client, refresh).status_code == 200

    response = send_refresh(client, access, refresh, "json")

    assert response.status_code == 200
    assert post_refresh(client, refresh).json() == REVOKED
    assert len(revocations) == 2


def test_logout_ignores_an_access_token_given_as_the_refresh_token(
    backend_path, client, user, revocations
):
    access, other_access = create_access_token(user), create_access_token(user)
    response = send_refresh(client, access, other_access, "json")
    assert response.status_code == 200
    assert revoked_jtis(revocations) == [decode_token(access)["jti"]]
    assert get_protected(client, other_access).status_code == 200


# The body.


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "The body is not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "The body is not valid JSON"),
        ('["refresh_token"]', "The JSON body must be an object"),
        ('"token"', "The JSON body must be an object"),
    ],
    ids=["invalid", "deeply-nested", "list", "string"],
)
def test_garbage_json_body_is_a_bad_request_and_revokes_nothing(
    client, user, access_token, refresh_token, body, message, revocations
):
    response = client.post(
        logout_url(), body, content_type="application/json", **bearer(access_token)
    )
    assert (response.status_code, response.json()) == (400, {"msg": message})
    assert revocations == []
    assert get_protected(client, access_token).status_code == 200


@pytest.mark.parametrize("body", ["", "{}"], ids=["empty", "empty-object"])
def test_empty_json_body_is_fine(client, access_token, body):
    response = client.post(
        logout_url(), body, content_type="application/json", **bearer(access_token)
    )
    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert revoked(access_token)


# Cookies.


def assert_jwt_cookies_unset(response):
    assert sorted(response.cookies) == sorted(JWT_COOKIES)
    for name, httponly in JWT_COOKIES.items():
        cookie = response.cookies[name]
        assert cookie.value == ""
        assert cookie["max-age"] == 0
        assert cookie["expires"] == EPOCH
        assert cookie["path"] == "/"
        assert bool(cookie["httponly"]) is httponly


@pytest.mark.parametrize("locations", [["headers"], ["headers", "cookies"]])
def test_logout_unsets_the_four_cookies(client, settings, access_token, locations):
    settings.JWT_TOKEN_LOCATION = locations
    response = client.post(logout_url(), **bearer(access_token))
    assert response.status_code == 200
    assert_jwt_cookies_unset(response)


def test_logout_unsets_the_cookies_by_their_configured_names_and_paths(
    client, settings, access_token
):
    settings.JWT_ACCESS_COOKIE_NAME = "at"
    settings.JWT_REFRESH_COOKIE_NAME = "rt"
    settings.JWT_REFRESH_COOKIE_PATH = "/auth/refresh/"
    response = client.post(logout_url(), **bearer(access_token))
    assert sorted(response.cookies) == sorted(
        ["at", "rt", "csrf_access_token", "csrf_refresh_token"]
    )
    assert response.cookies["rt"]["path"] == "/auth/refresh/"
    assert response.cookies["rt"]["max-age"] == response.cookies["at"]["max-age"] == 0


@pytest.fixture
def cookies(settings):
    """Cookies among the locations; headers too, to probe the tokens afterwards."""
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]


def test_cookie_logout_with_the_csrf_header(backend_path, cookies, csrf_client, client, user):
    tokens = login(csrf_client)

    response = csrf_client.post(
        logout_url(), HTTP_X_CSRF_TOKEN=csrf_client.cookies["csrf_access_token"].value
    )

    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert_jwt_cookies_unset(response)
    # The refresh token came in its cookie: both are revoked.
    assert get_protected(client, tokens["access_token"]).json() == REVOKED
    assert post_refresh(client, tokens["refresh_token"]).json() == REVOKED
    # The browser holds no token any more.
    assert all(csrf_client.cookies[name].value == "" for name in JWT_COOKIES)
    assert csrf_client.get("/api/protected").status_code == 401


def test_cookie_logout_without_the_csrf_header_is_refused(
    cookies, csrf_client, client, user, revocations
):
    tokens = login(csrf_client)

    response = csrf_client.post(logout_url())

    assert (response.status_code, response.json()) == (401, {"msg": "Missing CSRF token"})
    assert not response.cookies
    assert revocations == []
    assert get_protected(client, tokens["access_token"]).status_code == 200
    assert post_refresh(client, tokens["refresh_token"]).status_code == 200


def test_cookie_logout_with_the_refresh_csrf_value_is_refused(cookies, csrf_client, user):
    login(csrf_client)
    response = csrf_client.post(
        logout_url(), HTTP_X_CSRF_TOKEN=csrf_client.cookies["csrf_refresh_token"].value
    )
    assert (response.status_code, response.json()) == (
        401,
        {"msg": "CSRF double submit tokens do not match"},
    )
    assert not response.cookies


def test_header_logout_needs_no_csrf_header_even_with_cookies_enabled(
    cookies, csrf_client, client, user
):
    # A bearer token is the credential itself: Django's CSRF check is skipped.
    tokens = login(client)
    response = csrf_client.post(logout_url(), **bearer(tokens["access_token"]))
    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert revoked(tokens["access_token"])


def test_logout_of_an_already_revoked_refresh_token_is_fine(client, user, revocations):
    access, refresh = create_access_token(user), create_refresh_token(user)
    revoke_token(refresh)
    response = send_refresh(client, access, refresh, "json")
    assert (response.status_code, response.json()) == (200, LOGGED_OUT)
    assert revoked(access)
    assert revoked(refresh)
    assert len(revocations) == 2  # the earlier revocation and the access token's
